using FluentAssertions;
using Groundcrew.Core;
using Xunit;

namespace Groundcrew.Tests.Hardening;

/// <summary>
/// Map keys are interned so rule lookups end at a reference check, but an interned string lives as long as the process:
/// a repository of generated keys must not be able to keep them all for good.
/// </summary>
public class StringPoolLimitTests
{
    [Fact]
    public void Unique_keys_past_the_budget_are_not_kept_for_the_life_of_the_process()
    {
        // Built at run time (never literals), unique to this run, identifier-like and short: the keys MapKey would intern.
        var prefix = "gcKey" + Guid.NewGuid().ToString("N")[..10] + "_";
        var keys = Enumerable.Range(0, Limits.MaxInternedMapKeys + 20_000).Select(i => prefix + i).ToList();

        var wrong = 0;
        foreach (var key in keys)
            if (StringPool.MapKey(key) != key) wrong++;

        wrong.Should().Be(0, "a key keeps its text whether it is interned or not");
        keys.Count(k => string.IsInterned(k) != null).Should().BeLessThanOrEqualTo(Limits.MaxInternedMapKeys,
            "at most the budget of keys is interned by the whole process");
    }

    [Fact]
    public void A_key_a_rule_looks_up_is_still_the_literal_itself()
    {
        var fromFile = new string("containerPort".AsSpan()); // a copy, as a parser makes it

        var key = StringPool.MapKey(fromFile);

        ReferenceEquals(key, "containerPort").Should().BeTrue("the literal is already held by the runtime, whatever the budget");
        ReferenceEquals(StringPool.MapKey(new string("containerPort".AsSpan())), key).Should().BeTrue();
    }
}
