# -*- encoding: utf-8 -*-
# stub: rake 13.2.1 ruby lib

Gem::Specification.new do |s|
  s.name = "rake".freeze
  s.version = "13.2.1".freeze
  s.licenses = ["MIT".freeze]
end
