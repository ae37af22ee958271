using System.Globalization;
using Microsoft.Extensions.Options;

namespace Vigil.Silo.Configuration;

/// <summary>
/// <c>Vigil:Orleans:Membership</c>: how fast the cluster declares a silo that stopped answering dead, so its grains
/// reactivate elsewhere. Detection takes about <see cref="ProbeTimeoutSeconds"/> × <see cref="NumMissedProbesLimit"/>
/// plus the vote; Orleans' own defaults (5 s × 3, table refresh 60 s) leave a crashed silo's devices unreachable for
/// longer than the 30 s target. Too short a probe timeout on an overloaded machine gets a live silo voted out (it
/// then stops itself), so these are not set lower than the failure tests need.
/// </summary>
public sealed class MembershipOptions
{
    public const string Section = "Vigil:Orleans:Membership";

    /// <summary>Initial liveness probe timeout and period (Orleans adapts it between half and four times this).</summary>
    public double ProbeTimeoutSeconds { get; set; } = 2;

    /// <summary>Missed probes after which a silo suspects another one and votes it dead.</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>Silos each silo probes.</summary>
    public int NumProbedSilos { get; set; } = 3;

    /// <summary>Unexpired votes that declare a silo dead (Orleans uses fewer when fewer silos are alive to vote).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>How long a suspicion vote counts.</summary>
    public double DeathVoteExpirationSeconds { get; set; } = 60;

    /// <summary>Period between reads of the membership table (gossip spreads changes sooner; this is the fallback).</summary>
    public double TableRefreshSeconds { get; set; } = 10;

    /// <summary>Binds and validates the section; every problem names its key.</summary>
    /// <exception cref="OptionsValidationException">The section is invalid.</exception>
    public static MembershipOptions Read(IConfiguration configuration)
    {
        var options = new MembershipOptions();
        try
        {
            configuration.GetSection(Section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(Section, typeof(MembershipOptions), [e.Message]);
        }

        var errors = new List<string>();
        Positive(errors, nameof(ProbeTimeoutSeconds), options.ProbeTimeoutSeconds);
        Positive(errors, nameof(NumMissedProbesLimit), options.NumMissedProbesLimit);
        Positive(errors, nameof(NumProbedSilos), options.NumProbedSilos);
        Positive(errors, nameof(NumVotesForDeathDeclaration), options.NumVotesForDeathDeclaration);
        Positive(errors, nameof(DeathVoteExpirationSeconds), options.DeathVoteExpirationSeconds);
        Positive(errors, nameof(TableRefreshSeconds), options.TableRefreshSeconds);
        if (options.NumVotesForDeathDeclaration > options.NumProbedSilos)
        {
            errors.Add($"{Section}:NumVotesForDeathDeclaration ({options.NumVotesForDeathDeclaration}) must not exceed {Section}:NumProbedSilos ({options.NumProbedSilos}).");
        }

        if (options.DeathVoteExpirationSeconds < options.ProbeTimeoutSeconds * options.NumMissedProbesLimit)
        {
            errors.Add($"{Section}:DeathVoteExpirationSeconds ({options.DeathVoteExpirationSeconds.ToString(CultureInfo.InvariantCulture)}) must be at least ProbeTimeoutSeconds × NumMissedProbesLimit, or votes expire before they can add up.");
        }

        return errors.Count > 0 ? throw new OptionsValidationException(Section, typeof(MembershipOptions), errors) : options;
    }

    private static void Positive(List<string> errors, string key, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            errors.Add($"{Section}:{key} must be a positive number (got {value.ToString(CultureInfo.InvariantCulture)}).");
        }
    }
}
