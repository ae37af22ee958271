using Microsoft.AspNetCore.Http.HttpResults;

namespace Vigil.Silo.Apis;

/// <summary>
/// A home member's state for its GET route (a device's, a camera's): ids checked, 404 until the member has been sent
/// anything, grain failures answered as problems.
/// </summary>
internal static class MemberSnapshot
{
    /// <param name="member">What the member is and its id, as the 400 for a bad id names them.</param>
    /// <param name="read">Reads the snapshot; called only once the ids are valid.</param>
    /// <param name="heardFrom">Whether the snapshot shows anything received.</param>
    /// <param name="received">What the member receives, for the 404 ("readings", "frames").</param>
    public static async Task<Results<Ok<T>, ProblemHttpResult>> ReadAsync<T>(string home, (string What, string Id) member,
        Func<Task<T>> read, Func<T, bool> heardFrom, string received, HttpContext http)
    {
        if (ApiProblems.CheckIds(("home", home), member) is { } badId)
        {
            return badId;
        }

        try
        {
            var snapshot = await read();
            // Every id names a grain; one that was never sent anything is not a member anyone has seen.
            return heardFrom(snapshot)
                ? TypedResults.Ok(snapshot)
                : ApiProblems.NotFound($"No {received} have been received for {home}/{member.Id}.");
        }
        catch (Exception e) when (ApiProblems.TryMap(e, http, out var problem))
        {
            return problem;
        }
    }
}
