// swift-tools-version: 6.3
//
// semrob — semantic robustness analysis of image classifiers.
// Module layout and dependency rules: README.md ("Modules") and the design notes it links.
//
// Debug switches (uncomment in `swiftSettings` of a target to enable):
// .define("SEMROB_INTERNAL_CHECKS")  // expensive invariant checks in hot loops (rasteriser, kernels)

import PackageDescription

let package = Package(
  name: "semrob",
  products: [
    .executable(name: "semrob", targets: ["SemrobCLI"]),
    .library(name: "Tensors", targets: ["Tensors"]),
    .library(name: "Geometry", targets: ["Geometry"]),
    .library(name: "MeshFiles", targets: ["MeshFiles"]),
    .library(name: "NeuralNetworks", targets: ["NeuralNetworks"]),
    .library(name: "Rendering", targets: ["Rendering"]),
    .library(name: "SemanticAnalysis", targets: ["SemanticAnalysis"]),
    .library(name: "ImageFiles", targets: ["ImageFiles"]),
    .library(name: "Plotting", targets: ["Plotting"]),
    .library(name: "Datasets", targets: ["Datasets"]),
    .library(name: "ResultFiles", targets: ["ResultFiles"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
  ],
  targets: [
    // System libraries: module map + shim header only; each is imported by exactly one module.
    .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    .systemLibrary(name: "CAssimp", pkgConfig: "assimp", providers: [.apt(["libassimp-dev"])]),

    // semrob's own AVX-512 GEMM (C intrinsics, selected at run time by CPUID); compiled
    // optimised in debug builds too, so tests exercise the same code at a usable speed.
    .target(
      name: "CKernels",
      cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
    .target(name: "Tensors", dependencies: ["CBLAS", "CKernels", "ResultFiles"]),
    .target(name: "ResultFiles"),
    .target(name: "Geometry"),
    .target(name: "MeshFiles", dependencies: ["Geometry", "CAssimp", "ResultFiles"]),
    .target(
      name: "NeuralNetworks", dependencies: ["Tensors", "ResultFiles"],
      // The engine's kernels are generic over Float/Double and specialised by the optimiser;
      // unoptimised they run 20–50× slower, which would make the architecture golden tests
      // (full-size torchvision networks, Float64 and Float32) take minutes in debug builds.
      swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
    .target(name: "Rendering", dependencies: ["Geometry", "Tensors"]),
    .target(name: "SemanticAnalysis", dependencies: ["Rendering", "NeuralNetworks", "Tensors"]),
    .target(name: "ImageFiles", dependencies: ["CPNG", "Tensors", "ResultFiles"]),
    .target(name: "Plotting", dependencies: ["ImageFiles", "Tensors"], exclude: ["Fonts/LICENSE"]),
    .target(name: "Datasets", dependencies: ["Rendering", "Geometry", "NeuralNetworks", "Tensors"]),
    .executableTarget(
      name: "SemrobCLI",
      dependencies: [
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        "Tensors", "ResultFiles", "Geometry", "MeshFiles", "Rendering", "ImageFiles", "Plotting",
        "Datasets",
        "NeuralNetworks", "SemanticAnalysis",
      ]),

    .target(
      name: "TestSupport",
      dependencies: ["Tensors", .product(name: "RealModule", package: "swift-numerics")]),

    .testTarget(
      name: "TensorsTests", dependencies: ["Tensors", "TestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(name: "ResultFilesTests", dependencies: ["ResultFiles", "TestSupport"]),
    .testTarget(name: "PlottingTests", dependencies: ["Plotting", "ImageFiles", "Tensors"]),
    .testTarget(
      name: "DatasetsTests",
      dependencies: ["Datasets", "Geometry", "Rendering", "NeuralNetworks", "Tensors"]),
    .testTarget(name: "GeometryTests", dependencies: ["Geometry", "Tensors", "TestSupport"]),
    .testTarget(
      name: "MeshFilesTests", dependencies: ["MeshFiles", "Geometry", "TestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "Tensors", "TestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "SemanticAnalysisTests",
      dependencies: ["SemanticAnalysis", "Rendering", "NeuralNetworks", "Geometry", "Tensors", "TestSupport"]),
    .testTarget(
      name: "RenderingTests", dependencies: ["Rendering", "Geometry", "Tensors", "TestSupport"]),
    .testTarget(
      name: "ImageFilesTests", dependencies: ["ImageFiles", "Tensors", "TestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "SemrobCLITests",
      dependencies: [
        "SemrobCLI", "TestSupport", "ImageFiles", "Tensors", "ResultFiles", "NeuralNetworks",
      ],
      // Read through #filePath so SEMROB_RECORD_SNAPSHOTS=1 can rewrite them in place.
      exclude: ["Snapshots"]),
  ],
  swiftLanguageModes: [.v6]
)
