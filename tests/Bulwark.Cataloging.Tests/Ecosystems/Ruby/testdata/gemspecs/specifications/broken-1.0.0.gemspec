# a gemspec whose name is computed: nothing literal to read
Gem::Specification.new do |s|
  s.name = NAME
  s.version = Broken::VERSION
end
