// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Robustness.Tests;

/// Every case of the hostile corpus gives exactly its recorded outcome (testdata/outcomes/&lt;area&gt;/&lt;case&gt;.txt:
/// the entries kept, each warning and error message, the exit code): a change of behaviour shows as a diff to review.
/// Rebuild the records with UPDATE_GOLDEN=1 after regenerating the corpus (python3 make-hostile.py).
public sealed class HostileCorpusTests
{
    public static TheoryData<string> Cases() => [.. Corpus.Cases];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_case_gives_its_recorded_outcome(string @case)
    {
        var actual = await Corpus.WithinAsync(Corpus.OutcomeAsync(@case), @case);
        var record = Path.Combine(Corpus.Outcomes, @case + ".txt");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(record)!);
            await File.WriteAllTextAsync(record, actual);
            return;
        }
        Assert.True(File.Exists(record), $"{record} is missing: run UPDATE_GOLDEN=1 dotnet test and review it");
        Assert.Equal(await File.ReadAllTextAsync(record), actual);
        Assert.DoesNotContain("internal error", actual, StringComparison.Ordinal);
        Assert.DoesNotContain("exit 70", actual, StringComparison.Ordinal);
    }

    /// Whatever a layer holds, what the squashed image shows stays inside its root: no path with a ".." segment or a
    /// leading "/", and every link resolves to a path of the image or to nothing.
    [Fact]
    public async Task No_layer_of_the_corpus_puts_a_file_or_a_link_target_outside_the_image_root()
    {
        foreach (var @case in Corpus.Cases.Where(c => c.StartsWith("layers/", StringComparison.Ordinal)))
        {
            var outcome = await Corpus.LayerOutcomeAsync(Corpus.PathOf(@case));
            var squashed = outcome[outcome.IndexOf("squashed:\n", StringComparison.Ordinal)..].Split('\n');
            foreach (var line in squashed.Where(l => l.StartsWith("  file ", StringComparison.Ordinal)))
            {
                var path = line["  file ".Length..line.LastIndexOf(' ')];
                Assert.False(path.StartsWith('/') || path.Split('/').Contains(".."), $"{@case}: {line}");
            }
            foreach (var line in squashed.Where(l => l.StartsWith("  link ", StringComparison.Ordinal)))
            {
                var target = line[(line.IndexOf(" resolves to ", StringComparison.Ordinal) + " resolves to ".Length)..];
                Assert.True(target == "nothing" || (target.StartsWith('/') && !target.Split('/').Contains("..")), $"{@case}: {line}");
            }
        }
    }

    [Fact]
    public void Every_recorded_outcome_has_its_case()
    {
        var records = Directory.EnumerateFiles(Corpus.Outcomes, "*.txt", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Corpus.Outcomes, f).Replace('\\', '/')[..^".txt".Length]).Order(StringComparer.Ordinal);
        Assert.Equal(Corpus.Cases, records);
    }
}
