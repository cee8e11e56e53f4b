/**
 * Reverse-mode automatic differentiation: a {@link d2l4j.autograd.Variable} holds a tensor and the
 * {@link d2l4j.autograd.Op} that made it; {@code backward()} walks the graph in reverse topological order and
 * calls each op's adjoint. {@link d2l4j.autograd.Functional} is the operations' front door (as
 * torch.nn.functional), {@link d2l4j.autograd.NoGrad} turns recording off for inference.
 */
package d2l4j.autograd;
