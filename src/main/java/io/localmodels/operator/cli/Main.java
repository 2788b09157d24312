package io.localmodels.operator.cli;

import io.localmodels.operator.ops.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The operator's command line: {@code run} the operator, {@code render} offline, {@code probe} an Ollama server. */
@Command(name = "localmodels-operator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs local LLMs on Kubernetes: Ollama servers, health probes and a LiteLLM router.",
        subcommands = {RunCommand.class, RenderCommand.class, ProbeCommand.class, CommandLine.HelpCommand.class})
public class Main implements Runnable {

    public static void main(String[] args) {
        LogFormat.defaultFor(args);
        System.exit(commandLine().execute(args));
    }

    /** Bad flags and bad input exit with 2, as the README promises. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()); // picocli exits with 2 (USAGE) on invalid input
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
