package org.conpaas.service.flink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.conpaas.api.InvalidInputException;
import org.junit.Test;

/** submit_job's args: split as a shell would, bounded. */
public class JobArgumentsTest {

    @Test
    public void quotedArgumentsStayWhole() {
        assertEquals(List.of("--input", "file:///srv/my words.txt", "--mode", "BATCH"),
                FlinkManager.args("--input 'file:///srv/my words.txt' --mode BATCH"));
        assertEquals(List.of(), FlinkManager.args("  "));
    }

    @Test
    public void anUnclosedQuoteOrTooManyArgumentsAreRefused() {
        InvalidInputException unclosed = assertThrows(InvalidInputException.class,
                () -> FlinkManager.args("--title \"two words"));
        assertTrue(unclosed.getMessage(), unclosed.getMessage().contains("unclosed double quote"));
        assertThrows(InvalidInputException.class, () -> FlinkManager.args("x ".repeat(FlinkManager.MAX_ARGS + 1)));
    }
}
