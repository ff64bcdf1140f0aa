using FluentAssertions;
using Groundcrew.Model;
using Xunit;

namespace Groundcrew.Tests.Architecture;

public class CpuArchitecturesTests
{
    [Theory]
    [InlineData("m6g.large")]
    [InlineData("c7gn.xlarge")]
    [InlineData("t4g.micro")]
    [InlineData("m6gd.2xlarge")]
    [InlineData("r7g.medium")]
    [InlineData("x2gd.large")]
    [InlineData("im4gn.large")]
    [InlineData("is4gen.medium")]
    [InlineData("a1.medium")]
    [InlineData("g5g.xlarge")]
    [InlineData("hpc7g.16xlarge")]
    [InlineData("c8g.large")]
    [InlineData("mac2-m2pro.metal")]
    [InlineData("m6g")]
    public void Graviton_and_other_arm_instance_types_are_arm64(string type) =>
        CpuArchitectures.OfInstanceType(type).Should().Be(CpuArch.Arm64);

    [Theory]
    [InlineData("m5.large")]
    [InlineData("c6i.xlarge")]
    [InlineData("m6a.large")]
    [InlineData("g5.xlarge")]
    [InlineData("g4dn.xlarge")]
    [InlineData("g4ad.xlarge")]
    [InlineData("inf2.xlarge")]
    [InlineData("p4d.24xlarge")]
    [InlineData("t3.medium")]
    [InlineData("t3a.small")]
    [InlineData("c7i-flex.large")]
    [InlineData("trn1n.32xlarge")]
    [InlineData("mac1.metal")]
    public void Intel_and_amd_instance_types_are_amd64(string type) =>
        CpuArchitectures.OfInstanceType(type).Should().Be(CpuArch.Amd64);

    [Theory]
    [InlineData("")]
    [InlineData("${var.instance_type}")]
    [InlineData("u-6tb1.metal")]
    [InlineData("large")]
    public void Text_that_is_not_a_known_instance_type_is_unknown(string type) =>
        CpuArchitectures.OfInstanceType(type).Should().Be(CpuArch.Unknown);

    [Theory]
    [InlineData("AL2_ARM_64", CpuArch.Arm64)]
    [InlineData("AL2023_ARM_64_STANDARD", CpuArch.Arm64)]
    [InlineData("BOTTLEROCKET_ARM_64", CpuArch.Arm64)]
    [InlineData("AL2_x86_64", CpuArch.Amd64)]
    [InlineData("AL2023_x86_64_STANDARD", CpuArch.Amd64)]
    [InlineData("BOTTLEROCKET_x86_64_NVIDIA", CpuArch.Amd64)]
    [InlineData("CUSTOM", CpuArch.Unknown)]
    public void Eks_ami_types(string ami, CpuArch expected) => CpuArchitectures.OfAmiType(ami).Should().Be(expected);

    [Theory]
    [InlineData("macos-14", CpuArch.Arm64)]
    [InlineData("macos-15", CpuArch.Arm64)]
    [InlineData("macos-latest", CpuArch.Arm64)]
    [InlineData("macos-15-xlarge", CpuArch.Arm64)]
    [InlineData("macos-13", CpuArch.Amd64)]
    [InlineData("macos-15-intel", CpuArch.Amd64)]
    [InlineData("macos-14-large", CpuArch.Amd64)]
    [InlineData("ubuntu-24.04-arm", CpuArch.Arm64)]
    [InlineData("windows-11-arm", CpuArch.Arm64)]
    [InlineData("ubuntu-latest", CpuArch.Amd64)]
    [InlineData("ubuntu-22.04", CpuArch.Amd64)]
    [InlineData("self-hosted", CpuArch.Unknown)]
    [InlineData("${{ matrix.os }}", CpuArch.Unknown)]
    public void GitHub_runner_labels(string label, CpuArch expected) => CpuArchitectures.OfRunnerLabels([label]).Should().Be(expected);

    [Fact]
    public void Self_hosted_runner_labels_name_their_architecture()
    {
        CpuArchitectures.OfRunnerLabels(["self-hosted", "linux", "ARM64"]).Should().Be(CpuArch.Arm64);
        CpuArchitectures.OfRunnerLabels(["self-hosted", "linux", "X64"]).Should().Be(CpuArch.Amd64);
        CpuArchitectures.OfRunnerLabels(["self-hosted", "linux"]).Should().Be(CpuArch.Unknown);
    }

    [Theory]
    [InlineData("linux/amd64", CpuArch.Amd64)]
    [InlineData("linux/arm64/v8", CpuArch.Arm64)]
    [InlineData("linux/amd64,linux/arm64", CpuArch.Amd64 | CpuArch.Arm64)]
    [InlineData("$PLATFORM", CpuArch.Unknown)]
    [InlineData("linux/amd64,$EXTRA", CpuArch.Unknown)]
    [InlineData("X86_64", CpuArch.Amd64)]
    public void Platform_strings(string text, CpuArch expected) => CpuArchitectures.ParsePlatforms(text).Should().Be(expected);
}
