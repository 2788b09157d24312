package io.localmodels.operator.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run}'s flags are checked before it reaches for a cluster: a bad one exits with 2 and names it. */
class RunCommandTest {

    record Run(int exit, String err) {
    }

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        var cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        String[] full = new String[args.length + 3];
        full[0] = "run";
        full[1] = "--log-format";
        full[2] = "plain";
        System.arraycopy(args, 0, full, 3, args.length);
        return new Run(cmd.execute(full), err.toString());
    }

    @Test
    void anInvalidSelectorExitsWith2AndSaysWhatIsWrong() {
        Run r = run("--selector", "tier in gpu");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--selector: 'tier in gpu' is not a label selector: 'tier in': expected '(' "
                + "and a list of values");
    }

    @Test
    void aShardNameNeedsASelectorAndMustBeADnsLabel() {
        Run alone = run("--shard-name", "a");
        assertThat(alone.exit()).isEqualTo(2);
        assertThat(alone.err()).contains("--shard-name: needs --selector");
        Run bad = run("--selector", "localmodels.io/shard=a", "--shard-name", "Shard_A");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--shard-name: 'Shard_A' must be");
    }
}
