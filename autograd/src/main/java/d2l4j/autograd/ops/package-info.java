/** One class per differentiable operation: its forward through the Backend and its backward (the adjoint). */
package d2l4j.autograd.ops;
