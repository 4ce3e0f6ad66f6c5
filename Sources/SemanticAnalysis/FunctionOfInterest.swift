import NeuralNetworks
import Rendering
import Tensors

/// The function every semantic analysis shares (METHODS §2.1): the probability the classifier
/// gives class `y` for the render of a scene at semantic parameters `u`,
/// `f(u) = softmax(N(R(u)))_y`, and its gradient `∇f(u) = ⟨∂p_y/∂I, ∂I/∂u⟩`.
///
/// `u` holds one value per semantic dimension (``dimensions``, in order), in degrees for
/// angles and world units for the distance; every other render parameter keeps its value in
/// ``base``. The classifier's input normalisation is part of its network, so the render (an
/// `S × S` image in [0, 1], `S` the classifier's input side) goes in as it is. Evaluation is
/// batched: renders in parallel over points, the network over batches of images.
public struct FunctionOfInterest: Sendable {
  /// The renderer (its image side must equal the classifier's input side).
  public let renderer: Renderer<Float>
  /// The classifier.
  public let classifier: Classifier
  /// The class `y`.
  public let classIndex: Int
  /// The semantic dimensions: what each coordinate of `u` sets.
  public let dimensions: [RenderParameter]
  /// The values of everything `u` does not set.
  public let base: SceneView
  /// Images per network pass.
  public var batchSize = 32
  /// Where the image tangents come from (`nil`: the renderer's preferred source, see
  /// ``GradientSource/preferred(for:)``).
  public var gradientSource: GradientSource?

  /// Creates the function.
  ///
  /// - Parameters:
  ///   - renderer: The renderer; `renderer.settings.size` must equal `classifier.inputSize`.
  ///   - classifier: The classifier.
  ///   - classIndex: The class `y`, in `0..<classifier.classNames.count`.
  ///   - dimensions: Distinct parameters, at least one.
  ///   - base: The view the dimensions modify.
  /// - Throws: ``FunctionOfInterestError`` for a size mismatch or a bad class or dimension.
  public init(
    renderer: Renderer<Float>, classifier: Classifier, classIndex: Int,
    dimensions: [RenderParameter], base: SceneView
  ) throws(FunctionOfInterestError) {
    guard renderer.settings.size == classifier.inputSize else {
      throw FunctionOfInterestError(
        "renders are \(renderer.settings.size)×\(renderer.settings.size) but \(classifier.name) "
          + "takes \(classifier.inputSize)×\(classifier.inputSize); render at the model's size")
    }
    guard classifier.classNames.indices.contains(classIndex) else {
      throw FunctionOfInterestError(
        "class \(classIndex) is not one of \(classifier.name)'s \(classifier.classNames.count) "
          + "classes")
    }
    guard !dimensions.isEmpty, Set(dimensions).count == dimensions.count else {
      throw FunctionOfInterestError("the semantic dimensions must be distinct and non-empty")
    }
    if let problem = base.problem { throw FunctionOfInterestError(problem) }
    self.renderer = renderer
    self.classifier = classifier
    self.classIndex = classIndex
    self.dimensions = dimensions
    self.base = base
  }

  /// The view at `u`.
  public func view(at u: [Double]) -> SceneView {
    precondition(
      u.count == dimensions.count, "FunctionOfInterest: \(u.count) values for \(dimensions.count)")
    var view = base
    for (dimension, value) in zip(dimensions, u) { view = dimension.setting(value, in: view) }
    return view
  }

  /// `f(u)` at every point.
  ///
  /// - Parameters:
  ///   - points: Points `u` (one value per dimension each).
  ///   - threads: Render threads (≥ 1).
  /// - Returns: `p_y` per point.
  public func values(at points: [[Double]], threads: Int) -> [Float] {
    var result: [Float] = []
    result.reserveCapacity(points.count)
    for first in stride(from: 0, to: points.count, by: batchSize) {
      let chunk = Array(points[first..<min(first + batchSize, points.count)])
      let images = renderer.render(chunk.map { view(at: $0) }, threads: threads)
      let probabilities = softmax(classifier.logits(batch(images)))
      result += (0..<chunk.count).map { probabilities[$0 * classCount + classIndex] }
    }
    return result
  }

  /// `f(u)` and `∇f(u)` at every point (per degree for angles, per world unit for the
  /// distance), with the tangent images of ``gradientSource``.
  ///
  /// - Parameters:
  ///   - points: Points `u`.
  ///   - threads: Render threads (≥ 1).
  /// - Returns: Per point, `p_y` and its gradient (one entry per dimension).
  public func valuesAndGradients(at points: [[Double]], threads: Int) -> [(
    value: Float, gradient: [Double]
  )] {
    var result: [(value: Float, gradient: [Double])] = []
    result.reserveCapacity(points.count)
    let network = classifier.inference
    for first in stride(from: 0, to: points.count, by: batchSize) {
      let chunk = Array(points[first..<min(first + batchSize, points.count)])
      let renders = renderer.renderWithTangents(
        chunk.map { view(at: $0) }, parameters: dimensions, source: gradientSource,
        threads: threads)
      let tape = network.record(batch(renders.map(\.image)))
      let probabilities = softmax(tape.output)
      // ∂p_y/∂z_j = p_y (δ_yj − p_j) for every image of the batch.
      var cotangent = [Float](repeating: 0, count: chunk.count * classCount)
      for n in 0..<chunk.count {
        let py = probabilities[n * classCount + classIndex]
        for j in 0..<classCount {
          let pj = probabilities[n * classCount + j]
          cotangent[n * classCount + j] = py * ((j == classIndex ? 1 : 0) - pj)
        }
      }
      let gradient = network.gradients(
        of: tape, cotangent: Tensor(shape: [chunk.count, classCount], scalars: cotangent),
        parameters: .none
      ).input!.scalars
      // ⟨∂p_y/∂I, ∂I/∂u_k⟩: the input gradient is [N, 3, S, S], the tangents [S, S, 3].
      let side = renderer.settings.size
      let plane = side * side
      for (n, render) in renders.enumerated() {
        let base = n * 3 * plane
        let components = render.tangents.map { tangent in
          var sum = 0.0
          for p in 0..<plane {
            for c in 0..<3 {
              sum += Double(gradient[base + c * plane + p]) * Double(tangent.pixels[3 * p + c])
            }
          }
          return sum
        }
        result.append((probabilities[n * classCount + classIndex], components))
      }
    }
    return result
  }

  private var classCount: Int { classifier.classNames.count }

  /// Renders `[S, S, 3]` as the network input `[N, 3, S, S]`.
  private func batch(_ images: [RenderedImage<Float>]) -> Tensor {
    Tensor.stacked(images.map { $0.tensor.channelsFirst() })
  }

  /// Row-wise softmax of logits `[N, C]`, flattened.
  private func softmax(_ logits: Tensor) -> [Float] {
    Array(Softmax.probabilities(logits).scalars)
  }
}

/// A function of interest that cannot be formed; the message names the problem and the fix.
public struct FunctionOfInterestError: Error, CustomStringConvertible, Sendable {
  /// The one-line message.
  public let description: String

  init(_ description: String) { self.description = description }
}
