// CMLogCheckCLI: The command line: one type per subcommand.
//
// Owns: argument parsing (swift-argument-parser), shared option groups, closed value sets as
// enums, and the one place that turns errors into messages and exit status 2.
//
// Hands on: the exit status. The work is in the stages.
//
// Stages import only the stages before them (docs/architecture.md):
// LogMatching -> LogInput -> LogRules -> LogAnalysis -> LogFindings -> LogReport -> LogFollow -> CMLogCheckCLI
