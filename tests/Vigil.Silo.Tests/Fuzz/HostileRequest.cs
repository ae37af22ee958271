using System.Text;

namespace Vigil.Silo.Tests.Fuzz;

/// <summary>
/// One generated request, sent exactly as written: the path is not canonicalised by the client, so <c>..</c>,
/// <c>%2F</c> and invalid escapes reach the server as they are.
/// </summary>
/// <param name="Kind">What makes it hostile (for the figures), e.g. <c>bulk/nan</c>.</param>
internal sealed record HostileRequest(string Kind, HttpMethod Method, string PathAndQuery, byte[]? Body = null, string? ContentType = null, bool Chunked = false)
{
    public HttpRequestMessage ToMessage(Uri server)
    {
        var uri = new Uri(server.GetLeftPart(UriPartial.Authority) + PathAndQuery,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var message = new HttpRequestMessage(Method, uri);
        if (Body is not null)
        {
            var content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            message.Content = content;
            message.Headers.TransferEncodingChunked = Chunked;
        }

        return message;
    }

    /// <summary>The request as a failure message shows it: short, printable, enough to reproduce by hand.</summary>
    public override string ToString()
    {
        var preview = Body is null ? "" : Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 160));
        preview = new string([.. preview.Select(c => char.IsControl(c) && c != '\n' ? '·' : c)]);
        var path = PathAndQuery.Length > 200 ? PathAndQuery[..200] + "…" : PathAndQuery;
        return $"[{Kind}] {Method} {path} ({ContentType ?? "no type"}{(Chunked ? ", chunked" : "")}, {Body?.Length ?? 0} bytes) {preview}";
    }
}
