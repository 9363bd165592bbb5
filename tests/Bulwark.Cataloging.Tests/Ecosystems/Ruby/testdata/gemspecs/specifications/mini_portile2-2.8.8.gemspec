Gem::Specification.new do |s|
  s.name = "mini_portile2".freeze
  s.version = Gem::Version.new("2.8.8")
  s.license = "MIT".freeze
end
