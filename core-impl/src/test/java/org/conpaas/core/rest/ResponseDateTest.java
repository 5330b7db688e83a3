package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageImpl;
import org.conpaas.core.internal.testing.MutableClock;
import org.junit.Test;

public class ResponseDateTest {

    @Test
    public void formatsAnImfFixdateWithATwoDigitDayAndFollowsTheSeconds() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:05:03.250Z"));
        ResponseDate date = new ResponseDate(clock);
        assertEquals("Mon, 07 Dec 2026 09:05:03 GMT", date.now());
        String first = date.now();
        clock.advance(Duration.ofMillis(700)); // same second: the same text, not formatted again
        assertSame(first, date.now());
        clock.advance(Duration.ofMillis(100));
        assertEquals("Mon, 07 Dec 2026 09:05:04 GMT", date.now());
    }

    @Test
    public void addsTheDateUnlessTheAnswerAlreadyHasOne() {
        MutableClock clock = new MutableClock(Instant.parse("2027-01-31T23:59:59Z"));
        ResponseDate date = new ResponseDate(clock);

        Message fresh = new MessageImpl();
        date.handleMessage(fresh);
        assertEquals(List.of("Sun, 31 Jan 2027 23:59:59 GMT"), headers(fresh).get("date"));

        Message withDate = new MessageImpl();
        Map<String, List<Object>> own = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        own.put("Date", List.of("Thu, 01 Jan 1970 00:00:00 GMT"));
        withDate.put(Message.PROTOCOL_HEADERS, own);
        date.handleMessage(withDate);
        assertEquals(List.of("Thu, 01 Jan 1970 00:00:00 GMT"), headers(withDate).get("Date"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Object>> headers(Message message) {
        return (Map<String, List<Object>>) message.get(Message.PROTOCOL_HEADERS);
    }
}
