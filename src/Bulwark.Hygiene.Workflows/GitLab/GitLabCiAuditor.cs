// SPDX-License-Identifier: Apache-2.0
using YamlDotNet.RepresentationModel;
using Bulwark.Hygiene.Workflows.GitHubActions;

namespace Bulwark.Hygiene.Workflows.GitLab;

/// The GitLab CI rules over a .gitlab-ci.yml: images and services of `default:` and of every job (hidden `.template`
/// jobs too, since `extends:` copies them), and `include:` entries.
internal static class GitLabCiAuditor
{
    /// Top-level keys that are not jobs and hold no image (GitLab CI/CD YAML syntax reference, "Global keywords").
    private static readonly HashSet<string> NotJobs = new(StringComparer.Ordinal)
    {
        "include", "stages", "variables", "workflow", "spec", "cache", "before_script", "after_script",
    };

    public static void Audit(string path, YamlFile file, List<Finding> findings)
    {
        if (file.Root is not YamlMappingNode root) return;
        CheckIncludes(path, root.Child("include"), findings);
        CheckImage(path, root.Child("image"), "Every job runs", findings);
        foreach (var service in root.Child("services").Items()) CheckImage(path, service, "Every job starts a service", findings);
        foreach (var (key, job) in root.Children)
        {
            var name = key.Text() ?? "";
            if (NotJobs.Contains(name) || job is not YamlMappingNode) continue;
            var what = name == "default" ? "Every job" : $"Job '{name}'";
            CheckImage(path, job.Child("image"), $"{what} runs", findings);
            foreach (var service in job.Child("services").Items()) CheckImage(path, service, $"{what} starts a service", findings);
        }
    }

    /// `image: name:tag` or `image: {name: name:tag}`; services likewise.
    private static void CheckImage(string path, YamlNode? node, string what, List<Finding> findings)
    {
        var scalar = node as YamlScalarNode ?? node.Child("name") as YamlScalarNode;
        var value = (scalar?.Value ?? "").Trim();
        if (scalar is null || value.Length == 0) return;
        // an image entirely from a variable ($BUILD_IMAGE) is chosen elsewhere; its value cannot be judged here
        if (value.StartsWith('$') && !value.Contains(':', StringComparison.Ordinal)) return;
        if (!ImageReference.IsPinned(value))
            findings.Add(new Finding(Rules.GitLabUnpinnedImage, path, (int)scalar.Start.Line, (int)scalar.Start.Column, $"{what} from image '{value}', which is not pinned by digest."));
    }

    private static void CheckIncludes(string path, YamlNode? include, List<Finding> findings)
    {
        var entries = include switch
        {
            YamlSequenceNode seq => seq.Children,
            null => [],
            _ => [include],
        };
        foreach (var entry in entries)
        {
            void Add(YamlNode at, string message) =>
                findings.Add(new Finding(Rules.GitLabUnpinnedInclude, path, (int)at.Start.Line, (int)at.Start.Column, message));

            if (entry is YamlScalarNode s)
            {
                // a plain string is a local path, or a remote URL when it is one
                if (IsUrl(s.Value)) Add(s, $"'{s.Value}' is fetched from a URL when the pipeline starts; a URL is never pinned.");
                continue;
            }
            if (entry.Child("remote") is YamlScalarNode remote)
                Add(remote, $"'{remote.Value}' is fetched from a URL when the pipeline starts; a URL is never pinned.");
            if (entry.Child("project") is YamlScalarNode project)
            {
                var reference = entry.Child("ref") as YamlScalarNode;
                if (reference is null)
                    Add(project, $"Project include '{project.Value}' has no 'ref:', so it follows the project's default branch.");
                else if (!ActionReference.FullSha().IsMatch((reference.Value ?? "").Trim()))
                    Add(reference, $"Project include '{project.Value}' is at '{reference.Value}', not at a commit SHA.");
            }
            if (entry.Child("component") is YamlScalarNode component)
            {
                var value = component.Value ?? "";
                var at = value.LastIndexOf('@');
                if (at < 0 || !ActionReference.FullSha().IsMatch(value[(at + 1)..]))
                    Add(component, $"Component '{value}' is not pinned to a commit SHA.");
            }
        }
    }

    private static bool IsUrl(string? value) =>
        value is not null && (value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
}
