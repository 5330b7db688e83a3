package org.conpaas.service.support.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line of arguments into words as a POSIX shell would, without expanding anything: white space separates
 * words; single quotes keep everything up to the next one; double quotes keep everything but {@code \"} and
 * {@code \\}; a backslash outside quotes keeps the next character. So {@code --name "two words" 'a b'} is three
 * words, not five. Used where a user gives a program's arguments in one text field (Flink jobs, generic scripts).
 */
public final class Words {

    private Words() {
    }

    /** The words of {@code line}; an unclosed quote or a trailing backslash is an {@link IllegalArgumentException}. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        if (line == null) {
            return words;
        }
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("an unclosed single quote at character " + (i + 1));
                }
                word.append(line, i + 1, end);
                i = end;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word);
            } else if (c == '\\') {
                if (i + 1 == line.length()) {
                    throw new IllegalArgumentException("a backslash at the end of the line");
                }
                word.append(line.charAt(++i));
            } else {
                word.append(c);
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the double-quoted text that starts at {@code open}; returns the index of its closing quote. */
    private static int doubleQuoted(String line, int open, StringBuilder word) {
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                c = line.charAt(++i);
            }
            word.append(c);
        }
        throw new IllegalArgumentException("an unclosed double quote at character " + (open + 1));
    }
}
