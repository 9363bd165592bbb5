// SPDX-License-Identifier: Apache-2.0
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Bulwark.Fuzzing;

/// What one input did to a target.
public enum OutcomeKind
{
    /// The target returned a result.
    Accepted,
    /// The target refused the input with one of its documented error types.
    Rejected,
    /// Any other exception: a bug.
    Crash,
    /// The target ran past the per-input time limit.
    Timeout,
    /// The target allocated more than the per-input memory limit.
    Memory,
}

/// The outcome of one input, with enough to tell outcomes apart (exception type, the first Bulwark frame).
public sealed record Outcome(OutcomeKind Kind, string? ExceptionType = null, string? TopFrame = null, string? Message = null, string? Detail = null)
{
    public static Outcome Accepted { get; } = new(OutcomeKind.Accepted);

    public bool IsFinding => Kind is OutcomeKind.Crash or OutcomeKind.Timeout or OutcomeKind.Memory;

    /// What makes two findings the same bug: kind, exception type and where it was thrown.
    public string Signature => $"{Kind}:{ExceptionType}@{TopFrame}";

    /// A coarse class of outcome for the corpus: an input that produced a class not seen before is kept. Numbers and
    /// quoted text are removed from messages so one class does not become thousands.
    public string Class => $"{Kind}:{ExceptionType}:{Shape(Message)}";

    private static string Shape(string? message)
    {
        if (message is null) return "";
        var first = message.Split('\n')[0];
        first = Regex.Replace(first, "'[^']*'|\"[^\"]*\"|`[^`]*`|[0-9]+", "_", RegexOptions.None, TimeSpan.FromSeconds(1));
        // the first few words: messages that quote the input unquoted would otherwise make every input a new class
        return string.Join(' ', first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(6));
    }

    public override string ToString() => Kind switch
    {
        OutcomeKind.Accepted => "accepted",
        OutcomeKind.Rejected => $"rejected ({ExceptionType}: {Message})",
        _ => $"{Kind.ToString().ToLowerInvariant()}: {ExceptionType} at {TopFrame}: {Message}",
    };
}

/// Sorts an exception into <see cref="OutcomeKind.Rejected"/> (a documented input error) or <see cref="OutcomeKind.Crash"/>.
public static class Oracle
{
    public static Outcome Classify(Exception e, Func<Exception, bool> isExpected)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(isExpected);
        // an async target's failure arrives wrapped; the wrapper is not the error
        while (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        var type = e.GetType().FullName ?? e.GetType().Name;
        return isExpected(e)
            ? new Outcome(OutcomeKind.Rejected, type, null, e.Message)
            : new Outcome(OutcomeKind.Crash, type, TopFrame(e), e.Message, e.ToString());
    }

    /// The first frame in Bulwark's own code (not the fuzzer's), else the first frame: where the bug is.
    public static string TopFrame(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var frames = new StackTrace(e, fNeedFileInfo: false).GetFrames();
        string? first = null;
        foreach (var frame in frames)
        {
            var method = frame.GetMethod();
            if (method is null) continue;
            var name = $"{method.DeclaringType?.FullName}.{method.Name}";
            first ??= name;
            var ns = method.DeclaringType?.Namespace ?? "";
            if (ns.StartsWith("Bulwark.", StringComparison.Ordinal) && !ns.StartsWith("Bulwark.Fuzzing", StringComparison.Ordinal))
                return Tidy(name);
        }
        return Tidy(first ?? "?");
    }

    // compiler-generated state machines and lambdas: "<ReadAsync>d__3.MoveNext" reads as "ReadAsync"
    private static string Tidy(string name) => Regex.Replace(name, @"\+?<([^>]+)>[a-z]__[0-9_]+(\.MoveNext)?", ".$1", RegexOptions.None, TimeSpan.FromSeconds(1));
}

/// Thrown by a target when a property that must hold does not (a comparison that is not a total order, a format
/// that does not parse back): always a finding.
public sealed class PropertyViolationException(string message) : Exception(message);
