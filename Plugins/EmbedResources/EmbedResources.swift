import PackagePlugin

/// Puts a target's JSON data files into the binary: at build time the
/// ResourceEmbedder tool turns them into one generated Swift source
/// (`EmbeddedResources.files`), so an installed cmlogcheck needs no resource
/// folder beside it and the JSON files stay the only copy in git.
@main struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let inputs = module.sourceFiles(withSuffix: ".json").map(\.url)
        guard !inputs.isEmpty else { return [] }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedResources.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(module.name)'s data files",
                executable: try context.tool(named: "ResourceEmbedder").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
