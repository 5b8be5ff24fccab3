package io.tollgate.cli;

import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** A sub-command of {@code tollgate}: it reads the global options and writes its output through {@link #root}. */
abstract class TollgateCommand implements Callable<Integer> {
    @ParentCommand
    TollgateCli root;
}
