/// The shared network engine: layers, reverse-mode gradients, losses, optimisers, training,
/// architectures and safetensors checkpoints.
///
/// This file names the module's version of the checkpoint format it writes.
public enum NeuralNetworksInfo {
  /// The `__metadata__` format tag semrob writes into safetensors files.
  public static let checkpointFormat = "semrob.safetensors/1"
}
