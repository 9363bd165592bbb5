defmodule Shop.MixProject do
  use Mix.Project

  @version "0.3.0"

  def project do
    [
      app: :shop,
      version: @version,
      elixir: "~> 1.17",
      deps: deps()
    ]
  end

  def application do
    [mod: {Shop.Application, []}, extra_applications: [:logger]]
  end

  defp deps do
    [
      {:acme_auth, "~> 0.4", organization: "acme"},
      {:jason, "~> 1.4"},
      {:my_fork, github: "acme/my_fork", branch: "main"},
      {:renamed_app, "~> 1.0", hex: :real_package, optional: true},
      # docs and tests only
      {:ex_doc, "~> 0.34", only: :dev, runtime: false},
      {:old_dep, "~> 0.1", only: [:test]}
    ]
  end

  defp aliases do
    [{:setup, ["deps.get"]}]
  end
end
