// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging;
using Spectre.Console;

namespace Bulwark.Cli.Sbom;

/// The one-screen summary on stderr: packages per ecosystem, files that could not be read, time taken.
internal static class Summary
{
    public static void Print(IAnsiConsole console, CatalogResult result, TimeSpan elapsed, string? output)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Packages found[/]");
        table.AddColumn("Ecosystem");
        table.AddColumn(new TableColumn("Packages").RightAligned());
        table.AddColumn(new TableColumn("Dev").RightAligned());
        table.AddColumn(new TableColumn("Files").RightAligned());
        foreach (var group in result.Packages.GroupBy(p => p.Ecosystem.DisplayName).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var files = group.SelectMany(p => p.Locations).Select(l => l.Path).Distinct(StringComparer.Ordinal).Count();
            table.AddRow(Markup.Escape(group.Key), $"{group.Count():N0}", $"{group.Count(p => p.Scope == Core.Scope.Dev):N0}", $"{files:N0}");
        }
        table.AddRow("[bold]Total[/]", $"[bold]{result.Packages.Count:N0}[/]", $"{result.Packages.Count(p => p.Scope == Core.Scope.Dev):N0}", "");
        if (result.Packages.Count > 0) console.Write(table);
        else console.MarkupLine("[yellow]No packages found.[/]");

        foreach (var u in result.Unreadable)
            console.MarkupLine($"[red]unreadable[/] {Markup.Escape(u.Location.Path)}: {Markup.Escape(u.Reason)} [grey]({Markup.Escape(u.Cataloger)})[/]");
        foreach (var w in result.Warnings.Take(5))
            console.MarkupLine($"[yellow]warning[/] {Markup.Escape(w.Path)}: {Markup.Escape(w.Message)}");
        if (result.Warnings.Count > 5) console.MarkupLine($"[yellow]… and {result.Warnings.Count - 5:N0} more warnings (listed in the SBOM's bulwark:warning properties)[/]");
        console.MarkupLine($"{result.FilesSeen:N0} files walked in {elapsed.TotalSeconds:0.00}s" +
            (string.IsNullOrEmpty(output) || output == "-" ? "" : $"; SBOM written to [bold]{Markup.Escape(output)}[/]"));
    }
}
