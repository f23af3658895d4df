import ArgumentParser
import LogMatching
import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import LogFollow
import FoundationEssentials

/// `cmlogcheck tail`: follow the live logs, say what happens in words, alert when an upload is overdue.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow live logs: each event in words as it happens, alerts when an upload is overdue or fails.",
        discussion: """
        Follows the service connection point's logs (a Logs folder, or files) like
        tail -F: it survives rotation (X.log renamed to X.lo_ and a new X.log),
        truncation, and logs that appear later. Several logs are merged into one
        stream, tagged by source. What the files hold when tail starts is read
        first, quietly, to learn the state (the last announced next run); -n N or
        --from-start also show it. Piped standard input is read to its end.

        Alerts: a failure (HTTP 401, a network failure, an exception, an
        unauthorized action) at once; and, from the clock, when the announced
        next run plus --grace passes with no new upload cycle. Ctrl-C ends with a
        summary (exit 0). With --exit-on, the first alert at or above that
        severity ends it with exit 1. See docs/tail.md.

        Examples:
          cmlogcheck tail /mnt/scp/Logs      # the Logs folder, shared, mounted
          cmlogcheck tail -n 50 Logs/CMGatewaySyncUploadWorker.log
          cmlogcheck tail --format jsonl Logs/ | jq -c 'select(.type == "alert")'
          cmlogcheck tail --exit-on error --grace 5m Logs/ || notify-admin
          ssh scp 'tail -f Logs/CMGatewaySyncUploadWorker.log' | cmlogcheck tail
        """)

    @OptionGroup var input: InputOptions

    @Flag(name: .customLong("from-start"), help: "Show the whole history first (each X.log's X.lo_ too), then follow.")
    var fromStart = false

    @Option(name: .customShort("n"), help: ArgumentHelp("Show the events of each log's last N records first, then follow.", valueName: "N"))
    var lines: Int?

    @Option(help: ArgumentHelp("Output: text (one line per event, for people) or jsonl (one JSON object per line, docs/tail.md).", valueName: "format"))
    var format: TailFormat = .text

    @Flag(help: "Text: print the matching records themselves instead of words (alerts keep their ALERT mark).")
    var raw = false

    @OptionGroup var schedule: ScheduleOptions

    @OptionGroup var rules: RuleOptions

    @Option(help: ArgumentHelp("Watchdog: exit 1 at the first alert at or above this severity.", valueName: "severity"))
    var exitOn: AlertThreshold?

    @Option(help: ArgumentHelp("Colour: auto (a terminal without NO_COLOR), always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    func validate() throws {
        if let lines, lines < 0 { throw ValidationError("-n must be 0 or more") }
        if fromStart && lines != nil { throw ValidationError("use either --from-start or -n, not both") }
    }

    var settings: TailSettings {
        var settings = TailSettings()
        settings.grace = schedule.grace.seconds
        settings.uploadInterval = schedule.interval.seconds
        settings.cycleGap = schedule.interval.seconds / 2
        settings.historyRecords = fromStart ? nil : (lines ?? 0)
        settings.exitOn = exitOn?.severity
        return settings
    }

    /// The logs to follow; standard input when no path is given and it is not a terminal, or for `-`.
    func targets(context: CommandContext, options: ReadOptions) throws -> [FollowTarget] {
        let paths = input.paths
        if paths.isEmpty && context.standardInputIsTerminal {
            throw CommandFailure("no input: name log files or a Logs folder to follow, or pipe logs in (see --help)")
        }
        func standardInput() -> FollowTarget {
            let kind = options.kind ?? .unknown
            if let bytes = context.standardInput { return .stream(MemorySource(bytes), descriptor: nil, kind: kind) }
            return .stream(FileSource(descriptor: 0, name: "stdin"), descriptor: 0, kind: kind)
        }
        if paths.isEmpty { return [standardInput()] }
        var targets: [FollowTarget] = []
        var files: [String] = []
        func flushFiles() throws {
            guard !files.isEmpty else { return }
            targets += try TailTargets.resolve(files, kind: options.kind, withPrelude: fromStart)
            files = []
        }
        for path in paths {
            if path == "-" {
                try flushFiles()
                targets.append(standardInput())
            } else {
                files.append(path)
            }
        }
        try flushFiles()
        return targets
    }

    func run() throws {
        let context = CommandContext.current
        var options = input.readOptions()
        var settings = self.settings
        // tail runs on the server that writes the logs: times without a bias are its own wall
        // clock, so this machine's zone is the writer's, unless --tz or --bias says otherwise.
        let defaultedZone = input.tz == nil && input.bias == nil
        if defaultedZone { options.zone = ZoneRule("local") }
        settings.zone = options.zone
        if defaultedZone, let zone = options.zone {
            context.standardError.write("cmlogcheck: times without a bias are read in this machine's zone (\(Terminal.clean(zone.identifier, limit: 60))); pass --tz if the logs come from another server\n")
        }
        let catalog = try rules.compiled()
        let targets = try targets(context: context, options: options)
        let follower = LogFollower(targets: targets, options: options)
        let times = TailTimeFormat(timeZone: settings.timeZone)
        let writer = TailWriter(output: context.standardOutput, format: format.writerFormat, raw: raw,
                                style: Style(enabled: color.enabled(isTerminal: context.outputIsTerminal)), times: times,
                                sources: TailSession.tags(for: follower.logs.map(\.target)))
        let session = TailSession(follower: follower, catalog: catalog, settings: settings, clock: SystemClock(), sink: writer)
        session.onUnreadable = { unread in
            tellUnread([unread], to: context.standardError)
            context.standardError.flush()
        }
        let followedFiles = follower.logs.compactMap { $0.target.follow ? $0.target.path : nil }
        let watcher = ChangeWatcher(files: followedFiles)
        let stop = StopSignal.install()
        defer { StopSignal.uninstall() }
        // However the session ends, say which rules gave up at the match limit (the classifiers
        // of every log share the catalog, which counts for all of them).
        defer {
            if let summary = RuleLimitHit.summary(catalog.limitHits) { context.standardError.write("cmlogcheck: \(Terminal.clean(summary, limit: 4000))\n") }
        }

        let reason: TailSession.StopReason
        do {
            try session.start()
            if !followedFiles.isEmpty { status(session, watcher: watcher, to: context.standardError, times: times) }
            // Also stop when the reader of standard output went away (`| head`): nobody is listening.
            let output = context.standardOutput
            reason = try session.run(watcher: watcher, stopDescriptor: stop >= 0 ? stop : nil,
                                     outputDescriptor: output === Output.standardOutput ? 1 : nil,
                                     interrupted: { StopSignal.caught != 0 || output.isClosed })
        } catch {
            // A log that failed mid-read: the summary still ends the output, then the error is told.
            session.finish(reason: .interrupted)
            throw error
        }
        session.finish(reason: reason)
        if reason == .alert { throw ExitCode(1) }
    }

    /// One line on standard error: what is followed, what is waited for, what the history taught.
    func status(_ session: TailSession, watcher: ChangeWatcher, to errors: Output, times: TailTimeFormat) {
        let logs = session.follower.logs.filter { !$0.isStream && $0.target.follow }
        // One folder (the usual Logs folder): name it once, then the files.
        let folders = Set(logs.compactMap { $0.target.path.map { PathText.deletingLastComponent($0) } })
        let shared = folders.count == 1 ? folders.first : nil
        func shown(_ log: FollowedLog) -> String {
            shared != nil ? PathText.lastComponent(log.target.path ?? log.name) : log.name
        }
        let open = logs.filter { $0.state == .open }.map(shown)
        let waiting = logs.filter { $0.state == .waiting && $0.unreadable == nil }.map(shown)
        let unreadable = logs.filter { $0.state == .waiting && $0.unreadable != nil }.map(shown)
        var how = watcher.mode == .inotify ? "inotify" : "polling every \(describe(seconds: watcher.pollInterval))"
        if watcher.mode == .inotify && !watcher.polledFolders.isEmpty {
            how += ", polling \(watcher.polledFolders.joined(separator: ", "))"
        }
        var parts: [String] = []
        var following = "following " + (open.isEmpty ? "nothing yet" : open.joined(separator: ", "))
        if let shared, !shared.isEmpty { following += " in \(shared)" }
        parts.append(following + " (\(how))")
        if !waiting.isEmpty { parts.append("waiting for \(waiting.joined(separator: ", "))") }
        if !unreadable.isEmpty { parts.append("cannot read \(unreadable.joined(separator: ", ")) (tried at every look)") }
        if let due = session.expectedRun {
            parts.append(session.expectedIsAnnounced ? "last announced next run: \(times.both(due))"
                                                     : "no next run announced; next cycle expected by \(times.both(due))")
        }
        // File and folder names as found: made safe for the terminal.
        errors.write("cmlogcheck: " + Terminal.clean(parts.joined(separator: "; "), limit: 4000) + "; Ctrl-C stops\n")
        errors.flush()
    }
}
