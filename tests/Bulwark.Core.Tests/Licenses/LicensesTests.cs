// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;

namespace Bulwark.Core.Tests;

public class LicensesTests
{
    [Theory]
    [InlineData("MIT", "MIT")]
    [InlineData("  mit ", "MIT")]
    [InlineData("MIT License", "MIT")]
    [InlineData("The MIT License", "MIT")]
    [InlineData("MIT/X11", "MIT")]
    [InlineData("Apache 2.0", "Apache-2.0")]
    [InlineData("Apache License, Version 2.0", "Apache-2.0")]
    [InlineData("The Apache Software License, Version 2.0", "Apache-2.0")]
    [InlineData("Apache License 2.0", "Apache-2.0")]
    [InlineData("ASL 2.0", "Apache-2.0")]
    [InlineData("GPL-2.0+", "GPL-2.0-or-later")]
    [InlineData("GPL-2.0", "GPL-2.0-only")]
    [InlineData("LGPL-2.1", "LGPL-2.1-only")]
    [InlineData("GPLv3+", "GPL-3.0-or-later")]
    [InlineData("GPL-3.0-only or later", "GPL-3.0-or-later")]
    [InlineData("GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later")]
    [InlineData("GNU Lesser General Public License v2.1 or later", "LGPL-2.1-or-later")]
    [InlineData("(MIT OR Apache-2.0)", "MIT OR Apache-2.0")]
    [InlineData("MIT OR Apache-2.0", "MIT OR Apache-2.0")]
    [InlineData("MIT/Apache-2.0", "MIT OR Apache-2.0")]
    [InlineData("Apache License, Version 2.0 OR MIT License", "Apache-2.0 OR MIT")]
    [InlineData("(Apache 2.0 and BSD 3-Clause)", "Apache-2.0 AND BSD-3-Clause")]
    [InlineData("GPL-2.0 WITH Classpath exception", "GPL-2.0-only WITH Classpath-exception-2.0")]
    [InlineData("ISC License", "ISC")]
    [InlineData("BSD 3-Clause \"New\" or \"Revised\" License", "BSD-3-Clause")]
    [InlineData("New BSD License", "BSD-3-Clause")]
    [InlineData("https://opensource.org/licenses/MIT", "MIT")]
    [InlineData("http://www.opensource.org/licenses/mit-license.php", "MIT")]
    [InlineData("https://www.apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0")]
    [InlineData("http://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0")]
    [InlineData("https://spdx.org/licenses/BSD-2-Clause.html", "BSD-2-Clause")]
    [InlineData("https://www.gnu.org/licenses/old-licenses/gpl-2.0.html", "GPL-2.0-only")]
    [InlineData("https://www.mozilla.org/en-US/MPL/2.0/", "MPL-2.0")]
    [InlineData("http://www.eclipse.org/legal/epl-v10.html", "EPL-1.0")]
    [InlineData("LicenseRef-Proprietary", "LicenseRef-Proprietary")]
    [InlineData("perl_5", "Artistic-1.0-Perl OR GPL-1.0-or-later")]
    [InlineData("MIT AND (LGPL-2.1+ OR BSD-3-Clause)", "MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)")]
    [InlineData("GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0")]
    [InlineData("apache 2.0 or mit", "Apache-2.0 OR MIT")]
    [InlineData("MIT & ISC", "MIT AND ISC")]
    [InlineData("LGPL-2.1 or later", "LGPL-2.1-or-later")]
    [InlineData("Apache-2.0 License", "Apache-2.0")]
    [InlineData("The Unlicense", "Unlicense")]
    [InlineData("CC0 1.0 Universal", "CC0-1.0")]
    [InlineData("BSD-3-Clause OR (GPL-2.0 WITH Linux-syscall-note)", "BSD-3-Clause OR GPL-2.0-only WITH Linux-syscall-note")]
    [InlineData("MPL 2.0", "MPL-2.0")]
    [InlineData("License :: OSI Approved :: MIT License", "MIT")]
    [InlineData("License :: OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later")]
    [InlineData("License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0")]
    [InlineData("License :: CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0")]
    [InlineData("https://licenses.nuget.org/MIT", "MIT")]
    [InlineData("https://licenses.nuget.org/Apache-2.0%20OR%20MIT", "Apache-2.0 OR MIT")]
    [InlineData("Eclipse Public License - v 1.0", "EPL-1.0")]
    public void Names_spdx_licenses_it_is_sure_of(string declared, string expected)
    {
        var n = Licenses.Normalise(declared);
        Assert.NotNull(n);
        Assert.Equal(expected, n.ToString());
        Assert.True(n.IsSpdx);
        Assert.Equal(declared.Trim(), n.Declared);
    }

    [Theory]
    [InlineData("BSD", "LicenseRef-BSD")]
    [InlineData("GPL", "LicenseRef-GPL")]
    [InlineData("Public Domain", "LicenseRef-Public-Domain")]
    [InlineData("UNLICENSED", "LicenseRef-UNLICENSED")]
    [InlineData("SEE LICENSE IN LICENSE.txt", "LicenseRef-SEE-LICENSE-IN-LICENSE.txt")]
    [InlineData("Commercial / proprietary (c) ACME", "LicenseRef-Commercial-proprietary-c-ACME")]
    [InlineData("https://github.com/acme/widget/blob/main/LICENSE", "LicenseRef-https-github.com-acme-widget-blob-main-LICENSE")]
    [InlineData("MIT OR Something Odd", "LicenseRef-MIT-OR-Something-Odd")]
    [InlineData("LicenseRef-foo_bar", "LicenseRef-foo-bar")]
    [InlineData("Apache", "LicenseRef-Apache")]
    [InlineData("GPL-2.0 AND", "LicenseRef-GPL-2.0-AND")]
    [InlineData("License :: OSI Approved :: BSD License", "LicenseRef-License-OSI-Approved-BSD-License")]
    public void Keeps_what_it_cannot_name_as_a_license_ref_with_the_original_text(string declared, string expectedRef)
    {
        var n = Licenses.Normalise(declared);
        Assert.NotNull(n);
        Assert.Equal(expectedRef, n.ToString());
        Assert.False(n.IsSpdx);
        var extracted = Assert.Single(n.Extracted);
        Assert.Equal(new ExtractedLicense(expectedRef, declared), extracted);
        Assert.True(LicenseExpression.TryParse(n.ToString(), out _));
    }

    [Fact]
    public void Cuts_long_license_texts_to_a_ref_with_a_hash()
    {
        var text = "Permission is hereby granted, free of charge, to any person obtaining a copy of this software " + new string('x', 5000);
        var n = Licenses.Normalise(text)!;
        Assert.Matches("^LicenseRef-Permission-is-hereby-granted-free-of-charge-to-any-person-ob-[0-9a-f]{8}$", n.ToString());
        Assert.Equal(text, n.Extracted[0].Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("NOASSERTION")]
    [InlineData("NONE")]
    public void Says_nothing_for_empty_or_no_assertion(string? declared)
    {
        Assert.Null(Licenses.Normalise(declared));
    }

    [Fact]
    public void Joins_several_declared_licenses_with_AND()
    {
        var n = Licenses.NormaliseAll(["MIT", "Apache 2.0", "Public Domain", "mit"])!;
        Assert.Equal("MIT AND Apache-2.0 AND LicenseRef-Public-Domain", n.ToString());
        Assert.Equal([new ExtractedLicense("LicenseRef-Public-Domain", "Public Domain")], n.Extracted.ToArray());
    }

    [Fact]
    public void Joins_thousands_of_licenses_without_deep_recursion()
    {
        var n = Licenses.NormaliseAll(Enumerable.Range(0, 50_000).Select(i => $"LicenseRef-L{i}"))!;
        Assert.StartsWith("LicenseRef-L0 AND LicenseRef-L1 AND LicenseRef-L2 AND", n.ToString(), StringComparison.Ordinal);
        Assert.Equal(50_000, n.Expression.LicenseRefs().Count());
    }

    [Fact]
    public void Parenthesises_an_OR_joined_with_AND()
    {
        Assert.Equal("(MIT OR Apache-2.0) AND ISC", Licenses.NormaliseAll(["MIT OR Apache-2.0", "ISC"])!.ToString());
    }
}
