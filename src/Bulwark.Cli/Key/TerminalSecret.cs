// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Cli.Key;

/// Reads a line from the terminal without echoing it (the prompt goes to stderr, so stdout stays machine output).
internal static class TerminalSecret
{
    public static string Read(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
            }
            else if (key.KeyChar != '\0')
            {
                text.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return text.ToString();
    }
}
