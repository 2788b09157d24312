package io.localmodels.operator.cli;

import picocli.CommandLine;

/** The version from the jar manifest (absent when run from classes). */
public class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"localmodels-operator " + (v == null ? "development build" : v)};
    }
}
