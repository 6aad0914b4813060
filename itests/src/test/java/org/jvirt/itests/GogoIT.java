package org.jvirt.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The Gogo scope jvirt: jvirsh's commands and jvirt:drivers, run through Gogo's command processor. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GogoIT {

    @Inject
    private CommandProcessor processor;

    @Configuration
    public Option[] config() {
        return new Option[] {ItestConfig.base(ItestConfig.testDriver(), ItestConfig.gogoRuntime(),
                ItestConfig.platform())};
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Runs a command line; returns what it printed. */
    private String run(CommandSession session, String line) throws Exception {
        out.reset();
        Object result = session.execute(line);
        String printed = out.toString(StandardCharsets.UTF_8);
        return result == null ? printed : printed + session.format(result, 0);
    }

    @Test
    public void jvirshCommandsRunInGogo() throws Exception {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), ps, ps);
        try {
            Await.until("the jvirt scope", () -> {
                try {
                    return run(session, "jvirt:drivers").contains("Test");
                } catch (Exception e) {
                    return false;
                }
            });
            String list = run(session, "jvirt:list -c test:///default --all");
            assertTrue(list, list.matches("(?s).*\\b1\\s+test\\s+running.*"));
            // the session keeps its connection between commands
            String info = run(session, "jvirt:dominfo test");
            assertTrue(info, info.matches("(?s).*State:\\s+running.*"));
            run(session, "jvirt:suspend test");
            assertTrue(run(session, "jvirt:domstate test").contains("paused"));
            run(session, "jvirt:resume test");
            assertTrue(run(session, "jvirt:domstate test").contains("running"));
            try {
                run(session, "jvirt:dominfo no-such-domain");
                fail("dominfo of a missing domain succeeded");
            } catch (Exception e) {
                assertTrue(e.getMessage(), e.getMessage().contains("failed to get domain 'no-such-domain'"));
            }
        } finally {
            session.close();
        }
    }
}
