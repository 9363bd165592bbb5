Gem::Specification.new do |s|
  s.name = "mini_portile2".freeze
  s.version = "2.8.7"
  s.license = "MIT".freeze
end
