// SPDX-License-Identifier: Apache-2.0
using System.CommandLine;

namespace Bulwark.Cli.Tests;

/// A run builds only the invoked verb's command (start-up time); what the user sees must not change with that.
public sealed class VerbTreeTests
{
    private static CliContext Context() => new() { Stdout = new MemoryStream(), Stderr = new StringWriter() };

    [Fact]
    public void The_verb_table_names_every_verb_and_alias_the_commands_have()
    {
        foreach (var (names, create) in Program.Verbs)
        {
            var command = create(Context());
            string[] built = [command.Name, .. command.Aliases.Order(StringComparer.Ordinal)];
            Assert.Equal(names, built);
        }
        var all = Program.BuildRoot(Context()).Subcommands.Select(c => c.Name).ToList();
        Assert.Equal(all, Program.Verbs.Select(v => v.Names[0]).ToList());
    }

    public static TheoryData<string[]> CommandLines()
    {
        var rows = new TheoryData<string[]>();
        foreach (var verb in Program.BuildRoot(Context()).Subcommands)
        {
            foreach (var name in verb.Aliases.Prepend(verb.Name))
            {
                rows.Add([name, "--help"]);
                rows.Add([name, "--no-such-option"]);
                rows.Add([name]);
                rows.Add([name, "x", "y", "z", "--format"]);
            }
            foreach (var sub in verb.Subcommands)
            {
                rows.Add([verb.Name, sub.Name, "--help"]);
                rows.Add([verb.Name, sub.Name, "--no-such-option", "extra"]);
            }
        }
        rows.Add(["--help"]);
        rows.Add(["--version"]);
        rows.Add(["no-such-verb"]);
        return rows;
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public async Task Help_and_parse_errors_are_the_same_as_with_every_verb_built(string[] args)
    {
        var whole = await HelpAndErrors(Program.BuildRoot(Context()), args);
        var forArgs = await HelpAndErrors(Program.BuildRoot(Context(), args), args);
        Assert.Equal(whole, forArgs);
    }

    private static async Task<string> HelpAndErrors(Command root, string[] args)
    {
        var parse = root.Parse(args);
        var errors = string.Join("\n", parse.Errors.Select(e => e.Message));
        if (parse.Errors.Count > 0 || !(args.Contains("--help") || args.Contains("--version"))) return errors;
        var output = new StringWriter();
        await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return output.ToString();
    }
}
