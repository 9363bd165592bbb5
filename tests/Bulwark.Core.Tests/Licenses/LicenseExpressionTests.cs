// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Core.Tests;

public class LicenseExpressionTests
{
    [Theory]
    [InlineData("MIT", "MIT")]
    [InlineData("mit", "MIT")]
    [InlineData("apache-2.0", "Apache-2.0")]
    [InlineData("GPL-2.0+", "GPL-2.0+")]
    [InlineData("GPL-2.0-or-later", "GPL-2.0-or-later")]
    [InlineData("MIT OR Apache-2.0", "MIT OR Apache-2.0")]
    [InlineData("(MIT OR Apache-2.0)", "MIT OR Apache-2.0")]
    [InlineData("mit or apache-2.0", "MIT OR Apache-2.0")]
    [InlineData("MIT AND (Apache-2.0 OR BSD-3-Clause)", "MIT AND (Apache-2.0 OR BSD-3-Clause)")]
    [InlineData("(MIT AND Apache-2.0) OR BSD-3-Clause", "(MIT AND Apache-2.0) OR BSD-3-Clause")]
    [InlineData("MIT AND Apache-2.0 OR BSD-3-Clause", "(MIT AND Apache-2.0) OR BSD-3-Clause")]
    [InlineData("MIT OR Apache-2.0 AND BSD-3-Clause", "MIT OR (Apache-2.0 AND BSD-3-Clause)")]
    [InlineData("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0")]
    [InlineData("gpl-2.0-only with classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0")]
    [InlineData("GPL-2.0+ WITH GCC-exception-2.0 OR MIT", "GPL-2.0+ WITH GCC-exception-2.0 OR MIT")]
    [InlineData("LicenseRef-my.own-1", "LicenseRef-my.own-1")]
    [InlineData("licenseref-x", "LicenseRef-x")]
    [InlineData("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2")]
    [InlineData("(LGPL-2.0-only OR LicenseRef-3)", "LGPL-2.0-only OR LicenseRef-3")]
    [InlineData("((MIT))", "MIT")]
    [InlineData("MIT AND (BSD-2-Clause AND ISC)", "MIT AND BSD-2-Clause AND ISC")]
    public void Parses_and_formats_canonically(string text, string expected)
    {
        var e = LicenseExpression.Parse(text);
        Assert.Equal(expected, e.ToString());
        Assert.Equal(expected, LicenseExpression.Parse(e.ToString()).ToString());
    }

    [Fact]
    public void Binds_AND_tighter_than_OR_and_WITH_tighter_than_AND()
    {
        var e = LicenseExpression.Parse("MIT OR Apache-2.0 AND GPL-2.0-only WITH Classpath-exception-2.0");
        var or = Assert.IsType<OrExpression>(e);
        Assert.Equal(new LicenseId("MIT"), or.Left);
        var and = Assert.IsType<AndExpression>(or.Right);
        Assert.Equal(new LicenseId("Apache-2.0"), and.Left);
        Assert.Equal(new WithException(new LicenseId("GPL-2.0-only"), "Classpath-exception-2.0"), and.Right);
    }

    [Fact]
    public void Reads_plus_as_or_later()
    {
        Assert.Equal(new LicenseId("LGPL-2.1", OrLater: true), LicenseExpression.Parse("LGPL-2.1+"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("MIT OR", "missing")]
    [InlineData("(MIT", "')'")]
    [InlineData("MIT)", "unexpected")]
    [InlineData("NotALicense-1.0", "not on the SPDX license list")]
    [InlineData("Classpath-exception-2.0", "exception and may only follow WITH")]
    [InlineData("MIT WITH NotAnException", "not an SPDX license exception id")]
    [InlineData("(MIT OR ISC) WITH Classpath-exception-2.0", "WITH must follow a single license")]
    [InlineData("LicenseRef-", "LicenseRef-")]
    [InlineData("LicenseRef-a_b", "letters, digits")]
    [InlineData("DocumentRef-x", "DocumentRef-<id>:LicenseRef-<id>")]
    [InlineData("MIT Apache-2.0", "unexpected 'Apache-2.0'")]
    [InlineData("AND MIT", "expected a license")]
    public void Rejects_invalid_expressions_saying_why(string text, string reason)
    {
        Assert.False(LicenseExpression.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_parentheses_nested_too_deep_without_overflowing_the_stack()
    {
        var text = new string('(', 500) + "MIT" + new string(')', 500);
        Assert.False(LicenseExpression.TryParse(text, out _, out var error));
        Assert.Contains("nested deeper", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_expression_too_long_to_print_safely()
    {
        var text = string.Join(" AND ", Enumerable.Repeat("MIT", 100_000));
        Assert.False(LicenseExpression.TryParse(text, out _, out var error));
        Assert.Contains("more than 2000 parts", error, StringComparison.Ordinal);
        Assert.Equal(999, LicenseExpression.Parse(string.Join(" AND ", Enumerable.Repeat("MIT", 1000))).ToString().Split(" AND ").Length - 1);
    }

    [Fact]
    public void Lists_the_license_refs_an_expression_uses()
    {
        var e = LicenseExpression.Parse("LicenseRef-a OR (MIT AND DocumentRef-d:LicenseRef-b)");
        Assert.Equal(["LicenseRef-a", "DocumentRef-d:LicenseRef-b"], e.LicenseRefs().Select(r => r.ToString()));
    }

    [Fact]
    public void Separates_license_ids_from_exception_ids()
    {
        Assert.True(SpdxLicenseList.TryGetLicenseId("zpl-2.1", out var zpl));
        Assert.Equal("ZPL-2.1", zpl);
        Assert.False(SpdxLicenseList.TryGetLicenseId("LLVM-exception", out _));
        Assert.True(SpdxLicenseList.TryGetExceptionId("llvm-exception", out var llvm));
        Assert.Equal("LLVM-exception", llvm);
        Assert.Equal(727, SpdxLicenseList.LicenseIds.Count);
        Assert.Equal(84, SpdxLicenseList.ExceptionIds.Count);
        Assert.Equal("3.28", SpdxLicenseList.Version);
        Assert.Equal("MIT License", SpdxLicenseList.LicenseName("MIT"));
    }
}
