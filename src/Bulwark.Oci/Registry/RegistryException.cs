// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Text.Json;
using Bulwark.Core;

namespace Bulwark.Oci.Registry;

/// What went wrong talking to a registry, as far as the caller's next step is concerned (the CLI gives each its own
/// exit code and advice).
public enum RegistryFailure
{
    /// The manifest, blob, tag or repository does not exist (404): check the reference.
    NotFound,
    /// The registry wants credentials and has none, or rejected the ones given (401): log in or pass credentials.
    AuthenticationRequired,
    /// The credentials were accepted but may not do this (403): ask for access, or use other credentials.
    AccessDenied,
    /// The registry answered with content whose digest or size is not what was asked for or announced: do not trust
    /// the answer. (A blob that turns out wrong while it streams throws <see cref="BlobDigestException"/> instead.)
    DigestMismatch,
    /// The registry could not be reached or kept failing (connection, TLS, timeout, 5xx or 429 after retries): try later,
    /// or --insecure for a local plain-HTTP registry.
    Unavailable,
    /// The registry answered something the client cannot use (unexpected status, malformed JSON, bad Location, endless
    /// pagination or redirects): the registry or a proxy in front of it misbehaves.
    Protocol,
}

/// One entry of the distribution-spec error body (<c>{"errors":[{"code","message","detail"}]}</c>).
public sealed record RegistryError(string Code, string Message, string? Detail);

/// A registry request that failed, with a message that says what failed, on what, and what to do next;
/// <see cref="Failure"/> says which kind of failure it is.
public sealed class RegistryException(RegistryFailure failure, string message, HttpStatusCode? status = null,
    IReadOnlyList<RegistryError>? errors = null, Exception? inner = null) : Exception(message, inner)
{
    /// Which kind of failure: what the caller (the CLI's exit code) acts on.
    public RegistryFailure Failure { get; } = failure;
    /// The HTTP status the registry answered with, when it answered.
    public HttpStatusCode? Status { get; } = status;
    /// The distribution-spec error entries of the answer (empty when it had none).
    public IReadOnlyList<RegistryError> Errors { get; } = errors ?? [];

    /// Reads the spec's error JSON; anything else (HTML from a proxy, empty body) gives no entries.
    internal static IReadOnlyList<RegistryError> ParseErrors(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return [];
        try
        {
            using var doc = JsonText.ParseReadable(body.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("errors", out var list) || list.ValueKind != JsonValueKind.Array) return [];
            var result = new List<RegistryError>();
            foreach (var e in list.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object) continue;
                var code = e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "UNKNOWN";
                var message = e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
                string? detail = null;
                if (e.TryGetProperty("detail", out var d) && d.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                    detail = d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText();
                result.Add(new RegistryError(code, message, detail));
            }
            return result;
        }
        catch (JsonException)
        {
            return []; // not the spec's error body: the status line alone has to do
        }
    }

    internal static string Describe(IReadOnlyList<RegistryError> errors) =>
        string.Join("; ", errors.Select(e =>
            $"{e.Code}{(e.Message.Length > 0 ? ": " + e.Message : "")}{(string.IsNullOrEmpty(e.Detail) ? "" : " (" + Truncate(e.Detail, 200) + ")")}"));

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
