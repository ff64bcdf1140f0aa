using FluentAssertions;
using Groundcrew.Live.Inventory;
using Xunit;

namespace Groundcrew.Tests.Live;

/// <summary>
/// The live rules find a snapshot's role by ARN or by name (AwsFacts.RoleByArnOrName), through an index built on first use.
/// The answers must be what a scan of the list gives: the role with that ARN first, else the first with that name, and
/// roles added after a first question are found too.
/// </summary>
public class RoleLookupTests
{
    private static IamRoleFact Role(string name, string arn) => new(name, arn, null, []);

    [Fact]
    public void An_arn_finds_its_role_and_a_name_or_another_accounts_arn_finds_the_first_of_that_name()
    {
        var mine = Role("app", "arn:aws:iam::111111111111:role/app");
        var other = Role("app", "arn:aws:iam::222222222222:role/app");
        var facts = new AwsFacts { Roles = [mine, other] };

        facts.RoleByArnOrName("arn:aws:iam::222222222222:role/app").Should().BeSameAs(other);
        facts.RoleByArnOrName("app").Should().BeSameAs(mine);
        facts.RoleByArnOrName("arn:aws:iam::333333333333:role/app").Should().BeSameAs(mine, "an unknown ARN falls back to the role's name");
        facts.RoleByArnOrName("arn:aws:iam::111111111111:role/missing").Should().BeNull();
    }

    [Fact]
    public void A_role_added_after_the_first_question_is_found()
    {
        var facts = new AwsFacts { Roles = [Role("a", "arn:aws:iam::111111111111:role/a")] };
        facts.RoleByArnOrName("b").Should().BeNull();

        var b = Role("b", "arn:aws:iam::111111111111:role/b");
        facts.Roles.Add(b);
        facts.RoleByArnOrName("b").Should().BeSameAs(b);

        var replaced = Role("b", "arn:aws:iam::111111111111:role/b");
        facts.Roles = [replaced];
        facts.RoleByArnOrName("arn:aws:iam::111111111111:role/b").Should().BeSameAs(replaced);
    }
}
