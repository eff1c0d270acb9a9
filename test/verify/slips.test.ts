import { describe, expect, test } from "vitest";
import { verify } from "../../src/index.js";

/**
 * The likely slip behind a refuted claim, as a table: the claim as someone might write it, the
 * slip, and words the hint must contain. Each row is a mistake people make in practice; the most
 * common, mixing the input and the output form, comes first.
 */
describe("the slip behind a refuted claim", () => {
  test.each([
    // output form: y = f(x) written as x, y never defined, the where clause the wrong way round
    ["tanh'(x) = 1 - x^2", "output-form", "right in output form, wrong in input form: 1 - y^2 with y = tanh(x) is the derivative, but it is written in the input x; in terms of x it is 1 - tanh(x)^2"],
    ["sigmoid'(x) = x * (1 - x)", "output-form", "y * (1 - y) with y = sigmoid(x)"],
    ["tanh'(x) = 1 - t^2", "output-form", "reading t as the output tanh(x); but t is never defined: add `where t = tanh(x)`"],
    ["sigmoid'(x) = y * (1 - y) where y = tanh(x)", "output-form", "right in output form with y = sigmoid(x), but the where clause says y = tanh(x)"],
    ["tanh'(x) = 1 - tanh(y)^2 where y = tanh(x)", "input-form", "right in input form, wrong in output form: 1 - tanh(y)^2 is the derivative when y is the input x, but y is the output tanh(x) here"],
    // a missing chain-rule factor
    ["d/dx tanh(2x) = 1 - tanh(2x)^2", "chain-rule", "the right side lacks the factor 2"],
    ["d/dx tanh(x^2) = 1 - tanh(x^2)^2", "chain-rule", "d(x^2)/dx = 2 * x, and the right side lacks the factor 2 * x"],
    ["d/dbeta swish(x) = x * sigmoid(beta*x) * (1 - sigmoid(beta*x))", "chain-rule", "d(beta * x)/dbeta = x"],
    // the sign, of the whole, of the argument, of one term
    ["d/dx sigmoid(x) = -sigmoid(x) * (1 - sigmoid(x))", "sign", "the right side is −1 times the derivative of sigmoid(x)"],
    ["d/dx exp(x) = exp(-x)", "argument-sign", "at −x instead of x"],
    ["diff(sigmoid(x), x) = sigmoid(x) * (1 + sigmoid(x))", "term-sign", "the sign of the term sigmoid(x) is wrong: 1 + sigmoid(x) should be 1 - sigmoid(x)"],
    // a mislabelled derivative, both ways, and the wrong order
    ["softplus(x) = exp(x) / (1 + exp(x))", "mislabelled-derivative", "the right side is the derivative of softplus(x), labelled as softplus(x) itself"],
    ["d/dx sigmoid(x) = sigmoid(x)", "mislabelled-derivative", "the right side is sigmoid(x) itself, not its first derivative"],
    ["d/dx sigmoid(x) = diff(sigmoid(x), x, 2)", "wrong-order", "the right side is the second derivative of sigmoid(x), not the first"],
    ["d^2/dx^2 tanh(x) = 1 - tanh(x)^2", "wrong-order", "the right side is the first derivative of tanh(x), not the second"],
    // a square dropped or added, a constant factor
    ["d/dx tanh(x) = 1 - tanh(x)", "dropped-square", "tanh(x) should be (tanh(x))^2"],
    ["d/dx softsign(x) = 1 / (1 + abs(x))", "dropped-square", "1 + abs(x) should be (1 + abs(x))^2"],
    ["d/dx tanh(x) = (1 - tanh(x)^2)^2", "extra-square", "should not be squared: 1 - tanh(x)^2"],
    ["d/dx sigmoid(x) = 2 * sigmoid(x) * (1 - sigmoid(x))", "factor", "the true value is 1/2 times the right side"],
    // another function under this one's name
    ["sigmoid(x) = relu(x)", "other-function", "the right side is relu(x), not sigmoid(x)"],
    // a piecewise claim: the slip on the piece where it fails
    ["d/dx trelu(x; a) = x >= 0 ? 1 : 1 - tanh(a * x)^2", "factor", "on the piece x < 0: off by a factor: the true value is a^2 times the right side"],
    ["d/dx relu_softplus(x) = x >= 0 ? 1 : sigmoid(-x)", "argument-sign", "on the piece x < 0: the right side is the true one at −x"],
  ])("%s", (claim, slip, hint) => {
    const r = verify(claim);
    expect(r.verdict).toBe("refuted");
    expect(r.slip).toBe(slip);
    expect(r.hint).toContain(hint);
  });

  test("a slip it cannot tell is left unnamed, not guessed", () => {
    const r = verify("d/dx tanh(x) = 1 - tanh(x)^3");
    expect(r.verdict).toBe("refuted");
    expect(r.slip).toBeUndefined();
    expect(r.hint).toBeUndefined();
  });

  test("a claim that holds has no slip", () => {
    expect(verify("tanh'(x) = 1 - y^2 where y = tanh(x)")).not.toHaveProperty("slip");
  });
});
