using Microsoft.AspNetCore.Http.Features;

namespace Vigil.Silo.Ingestion;

/// <summary>A request body over its route's limit; answered 413.</summary>
public sealed class PayloadTooLargeException(long limit) : Exception($"The request body is over the limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>Reads a body into memory with a hard limit, refusing by Content-Length before reading where it can.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
        {
            throw new PayloadTooLargeException(limit);
        }

        // Lets Kestrel enforce the same limit on chunked bodies as they arrive.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } n ? (int)n : 4096);
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new PayloadTooLargeException(limit);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new PayloadTooLargeException(limit);
        }

        return buffer.ToArray();
    }
}
