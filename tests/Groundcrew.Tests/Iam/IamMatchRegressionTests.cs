using FluentAssertions;
using Groundcrew.Iam;
using Xunit;

namespace Groundcrew.Tests.Iam;

/// <summary>Cases the IAM property tests (Properties/IamMatcherProperties) found, kept as plain examples.</summary>
public class IamMatchRegressionTests
{
    // A pattern cut short with a trailing '*' spans the rest of the ARN, but its other wildcards stay inside their own
    // part: '?' in the Region part needs one Region character and used to match the ':' after an empty Region.
    [Theory]
    [InlineData("arn:*:*::?*", "arn:aws-cn:s3:::bucket", false)]
    [InlineData("arn:*:*:?*", "arn:aws:s3:::bucket", false)]
    [InlineData("arn:aws:s3:?*", "arn:aws:s3:us-east-1:123456789012:x", true)]
    [InlineData("arn:aws:logs:us-*", "arn:aws:logs:us-east-1:123456789012:log-group:/x:*", true)]
    [InlineData("arn:aws:logs:*", "arn:aws:logs:eu-west-1:123456789012:log-group:/x", true)]
    [InlineData("arn:aws:logs:u*1*", "arn:aws:logs:us-east-1:123456789012:x", true)]
    [InlineData("arn:aws:logs:u*2*", "arn:aws:logs:us-east-1:123456789012:x", false)]
    public void A_trailing_star_spans_the_arn_but_other_wildcards_stay_in_their_part(string pattern, string arn, bool expected) =>
        IamMatch.Resource(pattern, arn).Should().Be(expected);
}
