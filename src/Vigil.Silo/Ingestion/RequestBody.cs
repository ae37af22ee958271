using Microsoft.AspNetCore.Http.Features;

namespace Vigil.Silo.Ingestion;

/// <summary>A request body over its route's limit; answered 413.</summary>
public sealed class PayloadTooLargeException(long limit) : Exception($"The request body is over the limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>A body Kestrel refused while it arrived (too slow, malformed); answered with Kestrel's status.</summary>
public sealed class BadRequestBodyException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
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
        catch (BadHttpRequestException e)
        {
            // Kestrel refused the body as it arrived: too slow (408, the slow-loris guard), malformed chunking (400), ...
            throw new BadRequestBodyException(e.StatusCode, e.Message);
        }
        catch (Exception e) when (e is (IOException or OperationCanceledException) && request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-body: nobody to answer. Surfaced as the cancellation the host expects, which it
            // logs at Debug, rather than as an unhandled I/O error.
            throw new OperationCanceledException("The client disconnected while sending the body.", e, request.HttpContext.RequestAborted);
        }

        return buffer.ToArray();
    }
}
