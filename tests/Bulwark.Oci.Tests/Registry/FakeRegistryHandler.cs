// SPDX-License-Identifier: Apache-2.0
using System.Net;
using System.Text;

namespace Bulwark.Oci.Tests.Registry;

/// One request as the fake saw it (the body is copied before the client disposes it).
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, IReadOnlyList<string> Accept,
    IReadOnlyDictionary<string, string> ContentHeaders, byte[] Body)
{
    public string PathAndQuery => Uri.PathAndQuery;
    public override string ToString() => $"{Method} {Uri}";
}

/// An HttpMessageHandler answering from a list of routes (first match wins) and recording every request.
public sealed class FakeRegistryHandler : HttpMessageHandler
{
    private readonly List<(Func<RecordedRequest, bool> Match, Func<RecordedRequest, HttpResponseMessage> Answer)> _routes = [];
    public List<RecordedRequest> Requests { get; } = [];

    /// Waits this long (honouring cancellation) before answering, to play a registry that does not answer.
    public TimeSpan Delay { get; init; }

    public FakeRegistryHandler On(HttpMethod method, string pathAndQuery, Func<RecordedRequest, HttpResponseMessage> answer)
    {
        _routes.Add((r => r.Method == method && r.PathAndQuery == pathAndQuery, answer));
        return this;
    }

    public FakeRegistryHandler On(Func<RecordedRequest, bool> match, Func<RecordedRequest, HttpResponseMessage> answer)
    {
        _routes.Add((match, answer));
        return this;
    }

    /// Answers the same route with each response in turn (the last one repeats).
    public FakeRegistryHandler OnSequence(HttpMethod method, string pathAndQuery, params Func<RecordedRequest, HttpResponseMessage>[] answers)
    {
        var i = 0;
        return On(method, pathAndQuery, r => answers[Math.Min(i++, answers.Length - 1)](r));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.Content is not null)
            foreach (var h in request.Content.Headers) headers[h.Key] = string.Join(",", h.Value);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(),
            request.Headers.Accept.Select(a => a.MediaType!).ToList(), headers, body);
        Requests.Add(recorded);
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
        foreach (var (match, answer) in _routes)
            if (match(recorded))
            {
                var response = answer(recorded);
                response.RequestMessage = request;
                return response;
            }
        return Status(HttpStatusCode.NotFound, """{"errors":[{"code":"NAME_UNKNOWN","message":"no route in the fake"}]}""");
    }

    public static HttpResponseMessage Status(HttpStatusCode status, string? json = null, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        if (json is not null) response.Content = new StringContent(json, Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers)
            if (!response.Headers.TryAddWithoutValidation(name, value)) response.Content.Headers.TryAddWithoutValidation(name, value);
        return response;
    }

    public static HttpResponseMessage Bytes(byte[] content, string mediaType, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        foreach (var (name, value) in headers)
            if (!response.Headers.TryAddWithoutValidation(name, value)) response.Content.Headers.TryAddWithoutValidation(name, value);
        return response;
    }
}
