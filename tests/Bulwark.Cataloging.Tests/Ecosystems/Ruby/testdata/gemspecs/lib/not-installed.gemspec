Gem::Specification.new do |s|
  s.name = "not-installed"
  s.version = "0.0.1"
end
