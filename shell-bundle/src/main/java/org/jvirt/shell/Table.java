package org.jvirt.shell;

import java.util.ArrayList;
import java.util.List;

/** A column-aligned table as virsh prints it (vsh-table.c): header, a dashed rule, then rows. */
public final class Table {

    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(header);
    }

    public Table add(String... cells) {
        rows.add(cells.clone());
        return this;
    }

    /** The table text; without a header (quiet mode) only the rows, aligned on themselves. */
    public String format(boolean header) {
        int ncols = rows.get(0).length;
        List<String[]> cells = new ArrayList<>(rows.size());
        int[] max = new int[ncols];
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            String[] enc = new String[row.length];
            for (int c = 0; c < row.length; c++) {
                enc[c] = encode(row[c]);
                if ((header || r > 0) && enc[c].codePointCount(0, enc[c].length()) > max[c]) {
                    max[c] = enc[c].codePointCount(0, enc[c].length());
                }
            }
            cells.add(enc);
        }
        StringBuilder b = new StringBuilder();
        if (header) {
            row(b, cells.get(0), max);
            for (int c = 0; c < ncols; c++) {
                b.append("-".repeat(max[c] + 3));
            }
            b.append('\n');
        }
        for (int r = 1; r < cells.size(); r++) {
            row(b, cells.get(r), max);
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String[] row, int[] max) {
        for (int c = 0; c < row.length; c++) {
            b.append(' ').append(row[c]);
            if (c < row.length - 1) {
                b.append(" ".repeat(max[c] - row[c].codePointCount(0, row[c].length()) + 2));
            }
        }
        b.append('\n');
    }

    /** Control characters (and a literal "\x") are shown as \xNN so that widths stay right. */
    private static String encode(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean esc = ch < 0x20 || ch == 0x7f || (ch == '\\' && i + 1 < s.length() && s.charAt(i + 1) == 'x');
            if (esc && b == null) {
                b = new StringBuilder(s.substring(0, i));
            }
            if (b != null) {
                if (esc) {
                    b.append(String.format("\\x%02x", (int) ch));
                } else {
                    b.append(ch);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    /** Prints the table to the session, with its header unless quiet (vshTablePrintToStdout). */
    public void print(Session s) {
        s.print(format(!s.isQuiet()));
    }
}
