package dev.shardkv.local;

import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes exactly as given (a raw byte in the path, a body larger than its Content-Length says,
 * a chunked body) and reads one response: what an HTTP client library would refuse to send.
 */
final class RawHttp {
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    static Answer send(byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            try {
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (SocketException e) {
                // the server answered and closed before the whole body went out: read its answer
            }
            return read(socket.getInputStream());
        }
    }

    static Answer send(String head) throws IOException {
        return send(head.getBytes(StandardCharsets.ISO_8859_1), null);
    }

    /** A chunked body of {@code bytes} spaces then "1", in chunks of 64 KiB. */
    static byte[] chunked(int bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + bytes / 1000 + 64);
        byte[] spaces = " ".repeat(65536).getBytes(StandardCharsets.US_ASCII);
        int left = bytes;
        while (left > 0) {
            int n = Math.min(left, spaces.length);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(spaces, 0, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            left -= n;
        }
        out.writeBytes("1\r\n1\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.startsWith("HTTP/1.1 100")) {
                    head.reset(); // Continue: the real answer follows
                    continue;
                }
                break;
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new IOException("no answer");
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String length = headers.get("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }
}
