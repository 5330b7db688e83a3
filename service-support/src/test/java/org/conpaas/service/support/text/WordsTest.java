package org.conpaas.service.support.text;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.junit.Test;

public class WordsTest {

    @Test
    public void whiteSpaceSeparatesWords() {
        assertEquals(List.of("--input", "file:///srv/a.txt", "--mode", "BATCH"),
                Words.split("  --input file:///srv/a.txt\t--mode   BATCH \n"));
        assertEquals(List.of(), Words.split("   "));
        assertEquals(List.of(), Words.split(null));
    }

    @Test
    public void quotesKeepWhiteSpaceInOneWord() {
        assertEquals(List.of("--name", "two words", "a b", "x"), Words.split("--name \"two words\" 'a b' x"));
        assertEquals(List.of("it's", "say \"hi\"", "back\\slash"),
                Words.split("it\\'s \"say \\\"hi\\\"\" 'back\\slash'"));
        assertEquals(List.of("--opt=a b", ""), Words.split("--opt='a b' \"\""));
    }

    @Test
    public void unclosedQuotesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Words.split("--name \"two words"));
        assertThrows(IllegalArgumentException.class, () -> Words.split("'open"));
        assertThrows(IllegalArgumentException.class, () -> Words.split("trailing\\"));
    }
}
