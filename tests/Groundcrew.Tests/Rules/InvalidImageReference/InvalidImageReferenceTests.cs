using FluentAssertions;
using Groundcrew.Rules.Images;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.InvalidImageReference;

public class InvalidImageReferenceTests
{
    [Theory]
    [InlineData("nginx", null, "nginx", null)]
    [InlineData("nginx:1.25-alpine", null, "nginx", "1.25-alpine")]
    [InlineData("library/nginx:latest", null, "library/nginx", "latest")]
    [InlineData("localhost/app", "localhost", "app", null)]
    [InlineData("localhost:5000/team/app:dev", "localhost:5000", "team/app", "dev")]
    [InlineData("932100697590.dkr.ecr.us-east-1.amazonaws.com/shop/api:1.0.0", "932100697590.dkr.ecr.us-east-1.amazonaws.com", "shop/api", "1.0.0")]
    [InlineData("ghcr.io/a-b/c__d/e.f---g:V1_x.y-z", "ghcr.io", "a-b/c__d/e.f---g", "V1_x.y-z")]
    [InlineData("[2001:db8::1]:5000/app:1", "[2001:db8::1]:5000", "app", "1")]
    [InlineData("Registry.Example.com/app", "Registry.Example.com", "app", null)]
    [InlineData("LOCALDOMAIN/library/debian", "LOCALDOMAIN", "library/debian", null)]   // distribution/reference: uppercase => a host
    [InlineData("MyOrg/api:1", "MyOrg", "api", "1")]
    [InlineData("1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a:v1", null, "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "v1")]
    public void Valid_references_parse_into_their_parts(string raw, string? domain, string path, string? tag)
    {
        var r = ImageReference.Parse(raw);
        r.Error.Should().BeNull();
        r.Domain.Should().Be(domain);
        r.Path.Should().Be(path);
        r.Tag.Should().Be(tag);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(" nginx", "whitespace")]
    [InlineData("nginx :1.0", "whitespace")]
    [InlineData("Nginx:1.0", "lowercase")]
    [InlineData("ghcr.io/Acme/api:1", "lowercase")]
    [InlineData("MY_ORG/api:1", "not a valid host name")]   // uppercase makes it a host, and '_' is not allowed in one
    [InlineData("1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "image ID")]
    [InlineData("nginx:1.0:latest", "more than one tag")]
    [InlineData("ghcr.io/acme/api:1.0:latest", "more than one tag")]
    [InlineData("nginx:", "tag after ':' is empty")]
    [InlineData("nginx:-bad", "tag")]
    [InlineData("nginx@sha256:abc", "digest")]
    [InlineData("nginx@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a2109", "64 hex")]
    [InlineData("my_registry.example.com/api", "not a valid host name")]
    [InlineData("registry.example.com:port/api", "not a number")]
    [InlineData("ghcr.io//api", "empty path component")]
    [InlineData("ghcr.io/api/", "empty path component")]
    [InlineData("ghcr.io/acme/-api", "path component")]
    [InlineData("@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097", "no repository")]
    public void Invalid_references_say_why(string raw, string reason)
    {
        var r = ImageReference.Parse(raw);
        r.IsValid.Should().BeFalse();
        r.Error.Should().Contain(reason);
    }

    [Fact]
    public void A_tag_of_129_characters_is_rejected_and_128_accepted()
    {
        ImageReference.Parse("app:" + new string('a', 128)).IsValid.Should().BeTrue();
        ImageReference.Parse("app:" + new string('a', 129)).Error.Should().Contain("128");
    }

    [Fact]
    public void Dollar_paren_variables_in_images_are_reported_but_dollar_brace_is_left_to_placeholder_value()
    {
        var result = Scan.Files(("d.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
                - name: a
                  image: ghcr.io/acme/api:$(TAG)
                - name: b
                  image: ghcr.io/acme/api:${TAG}
            """));
        var f = result.Of("invalid-image-reference").Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(7);
        f.Message.Should().Contain("$(VAR)");
    }

    [Fact]
    public void Null_image_and_non_string_image_do_not_crash()
    {
        var result = Scan.Files(("d.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
                - name: a
                  image:
                - name: b
                  image: {nested: true}
            """));
        result.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        result.Of("invalid-image-reference").Should().ContainSingle().Which.Message.Should().Contain("empty");
    }
}
