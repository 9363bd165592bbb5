# -*- encoding: utf-8 -*-
# stub: json 2.7.2 ruby lib

Gem::Specification.new do |s|
  s.name = "json".freeze
  s.version = "2.7.2".freeze
  s.licenses = ["Ruby".freeze]
end
