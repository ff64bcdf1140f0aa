using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules;

/// <summary>What a rule may read: the model, the repository's config, and the redactor to register secret values with.</summary>
public sealed class RuleContext(DeploymentModel model, GroundcrewConfig config, Redactor redactor)
{
    public DeploymentModel Model { get; } = model;
    public GroundcrewConfig Config { get; } = config;
    public Redactor Redactor { get; } = redactor;
}
