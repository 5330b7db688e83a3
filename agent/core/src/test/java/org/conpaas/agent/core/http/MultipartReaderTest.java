package org.conpaas.agent.core.http;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

public class MultipartReaderTest {

    @Test
    public void readsFieldsAndBinaryFilesWithDelimiterLookalikes() throws Exception {
        byte[] file = new byte[70_000];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) (i * 31);
        }
        // content that starts like the delimiter must survive
        byte[] tricky = "a\r\n--bound\r\n--boundar".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("preamble\r\n--boundary\r\nContent-Disposition: form-data; name=\"params\"\r\n\r\n"
                + "{\"a\":1}\r\n--boundary\r\nContent-Disposition: form-data; name=\"code\"; filename=\"app.zip\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        body.write(file);
        body.write("\r\n--boundary\r\nContent-Disposition: form-data; name=\"other\"; filename=\"t\"\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        body.write(tricky);
        body.write("\r\n--boundary--\r\n".getBytes(StandardCharsets.ISO_8859_1));

        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body.toByteArray()),
                "multipart/form-data; boundary=boundary");
        MultipartReader.Part params = reader.next();
        assertEquals("params", params.name());
        assertNull(params.fileName());
        assertEquals("{\"a\":1}", new String(params.content().readAllBytes(), StandardCharsets.UTF_8));
        MultipartReader.Part code = reader.next();
        assertEquals("code", code.name());
        assertEquals("app.zip", code.fileName());
        assertArrayEquals(file, code.content().readAllBytes());
        MultipartReader.Part other = reader.next();
        assertEquals("other", other.name());
        // not read by the caller: next() must skip it
        assertNull(reader.next());
        assertNull(reader.next());

        MultipartReader again = new MultipartReader(new ByteArrayInputStream(body.toByteArray()),
                "multipart/form-data; boundary=\"boundary\"");
        again.next();
        again.next();
        assertArrayEquals(tricky, again.next().content().readAllBytes());
    }

    @Test(expected = Problem.class)
    public void aBodyWithoutBoundaryIsABadRequest() throws Exception {
        new MultipartReader(new ByteArrayInputStream(new byte[0]), "multipart/form-data");
    }
}
