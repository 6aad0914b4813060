package org.jvirt.shell;

import java.io.PrintStream;

import org.jvirt.api.ProgressListener;

/** Prints a job's progress as virsh's --verbose does: "\rSave: [ 45 %]" on the error stream. */
final class JobProgress implements ProgressListener {

    private final String label;
    private final PrintStream err;
    private final PrintStream out;
    private int last = -1;

    JobProgress(String label, Session s) {
        this.label = label;
        this.err = s.err();
        this.out = s.out();
    }

    /** The listener for a job: this one when verbose, else none. */
    static ProgressListener of(boolean verbose, String label, Session s) {
        return verbose ? new JobProgress(label, s) : ProgressListener.NONE;
    }

    @Override
    public synchronized void progress(long processed, long total) {
        long remaining = total <= 0 ? 1 : Math.max(0, total - processed);
        if (total > 0 && remaining > 0) {
            print((int) Math.min(99, (long) (100.0 - remaining * 100.0 / total)));
        } else if (total > 0) {
            // completion is printed once the job has returned, as virsh does
            print(99);
        }
    }

    /** Prints the final 100 %. */
    synchronized void done() {
        print(100);
    }

    private void print(int percent) {
        if (percent == last) {
            return;
        }
        last = percent;
        out.flush();
        err.print(String.format("\r%s: [%3d %%]", label, percent));
        err.flush();
    }

    static void finish(ProgressListener p) {
        if (p instanceof JobProgress j) {
            j.done();
        }
    }
}
