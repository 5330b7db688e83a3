package org.conpaas.core.rest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageImpl;
import org.junit.Test;

public class ResponseDateTest {

    /** A clock whose millis the test sets. */
    private static final class ManualClock extends Clock {
        final AtomicLong millis = new AtomicLong();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    @Test
    public void formatsAnImfFixdateWithATwoDigitDayAndFollowsTheSeconds() {
        ManualClock clock = new ManualClock();
        ResponseDate date = new ResponseDate(clock);
        clock.millis.set(Instant.parse("2026-12-07T09:05:03.250Z").toEpochMilli());
        assertEquals("Mon, 07 Dec 2026 09:05:03 GMT", date.now());
        String first = date.now();
        clock.millis.addAndGet(700); // same second: the same text, not formatted again
        assertSame(first, date.now());
        clock.millis.addAndGet(100);
        assertEquals("Mon, 07 Dec 2026 09:05:04 GMT", date.now());
    }

    @Test
    public void addsTheDateUnlessTheAnswerAlreadyHasOne() {
        ManualClock clock = new ManualClock();
        clock.millis.set(Instant.parse("2027-01-31T23:59:59Z").toEpochMilli());
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
