// SPDX-License-Identifier: Apache-2.0
using Bulwark.Cataloging.Ecosystems.Ruby;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Ecosystems.Ruby;

public class GemfileGroupsTests
{
    [Theory]
    [InlineData("gem \"rspec\"", Scope.Required)]
    [InlineData("gem 'rspec', group: :test", Scope.Dev)]
    [InlineData("gem \"rspec\", groups: [:development, :test]", Scope.Dev)]
    [InlineData("gem \"rspec\", group: %i[development test]", Scope.Dev)]
    [InlineData("gem \"rspec\", group: [:development, :production]", Scope.Required)]
    [InlineData("group :development, :test do\n  gem \"rspec\"\nend", Scope.Dev)]
    [InlineData("group(:test) do\n  gem \"rspec\", \"~> 3.0\", require: false\nend", Scope.Dev)]
    [InlineData("group :assets, :development do\n  gem \"rspec\"\nend", Scope.Required)]
    [InlineData("group :avo, optional: true do\n  source \"https://x\" do\n    gem \"rspec\"\n  end\nend", Scope.Optional)]
    [InlineData("group :test do\n  platforms :jruby do\n    gem \"rspec\"\n  end\nend", Scope.Dev)]
    [InlineData("group :test do\nend\ngem \"rspec\"", Scope.Required)]
    [InlineData("if ENV[\"CI\"]\n  gem \"other\"\nend\ngroup :test do\n  gem \"rspec\"\nend", Scope.Dev)]
    [InlineData("gem \"rspec\" # group: :test in a comment", Scope.Required)]
    [InlineData("gem \"rspec\", :group => :test", Scope.Dev)]
    [InlineData("gem 'rspec', '~> 3.0', :groups => [:development, :test]", Scope.Dev)]
    [InlineData("group :docs, :optional => true do\n  gem \"rspec\"\nend", Scope.Optional)]
    [InlineData("group :test do\n  gem \"rspec\"\nend\ngem \"rspec\"", Scope.Required)]
    public void Reads_the_scope_of_a_gem_from_its_groups(string gemfile, Scope expected) =>
        Assert.Equal(expected, GemfileGroups.Read(gemfile)["rspec"]);
}
