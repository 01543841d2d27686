import { describe, it, expect } from "vitest";
import { contentWords } from "./content-words.js";
import { lexicalDifference } from "./lexical-difference.js";

const keys = (text: string) => contentWords(text).map((w) => w.key);

describe("content words", () => {
  it("drops function words and fillers, stems the rest, and keeps negations, interrogatives and particles", () => {
    expect(keys("Please, why does the checkout pod keep restarting?")).toEqual(["why", "checkout", "pod", "restart"]);
    expect(keys("Scale the deployment down")).toEqual(["scale", "deploy", "down"]);
    expect(keys("The job did not fail")).toEqual(["job", "not", "fail"]);
  });

  it("reads contractions and 'without' as a negation", () => {
    expect(keys("I can't log in")).toEqual(["not", "log"]);
    expect(keys("it hasn't arrived")).toEqual(["not", "arriv"]);
    expect(keys("use it without a connection")).toEqual(["us", "not", "connect"]);
  });

  it("reads numbers written either way as one value, thousands separators and spelled-out compounds included", () => {
    expect(keys("forty minutes")).toEqual(keys("40 minutes"));
    expect(keys("primes below one thousand")).toEqual(keys("primes below 1000"));
    expect(keys("10,000 dollars")).toEqual(keys("10k dollars"));
    expect(keys("the 3rd of March")).toEqual(["#3", "march"]);
    expect(contentWords("order 4411").find((w) => w.number !== undefined)).toMatchObject({ number: 4411, digits: true });
    expect(contentWords("five replicas")[0]).toMatchObject({ number: 5 });
    expect(contentWords("five replicas")[0]?.digits).toBeUndefined();
    // "per second" is a unit, not an ordinal.
    expect(keys("requests per second")).toEqual(["request", "second"]);
  });
});

describe("lexical difference", () => {
  it("calls texts with the same content words the same, whatever the order, inflection and fillers", () => {
    const d = lexicalDifference("After the deploy, why does the checkout pod keep crash looping?", "Why is the checkout pod crash-looping after the deploy?");
    expect(d).toMatchObject({ kind: "same", onlyFirst: [], onlySecond: [], numberConflict: false });
  });

  it("calls a swap of a few words among shared ones minimal, and names the words", () => {
    const d = lexicalDifference("How do I enable two-factor authentication?", "How do I disable two-factor authentication?");
    expect(d).toMatchObject({ kind: "minimal", onlyFirst: ["enable"], onlySecond: ["disable"] });
    expect(d.phrases).toEqual(["enable", "disable"]);
    expect(d.skeletons).toEqual(["how do i two factor authentication", "how do i two factor authentication"]);
    // An added qualifier is a difference too.
    expect(lexicalDifference("Show the error logs", "Show the error logs from last week").kind).toBe("minimal");
    expect(lexicalDifference("Why did the job fail?", "When did the job fail?")).toMatchObject({ kind: "minimal", onlyFirst: ["why"], onlySecond: ["when"] });
    // However short the shared part.
    expect(lexicalDifference("refund please (hang)", "refund my order")).toMatchObject({ kind: "minimal", onlyFirst: ["hang"], onlySecond: ["order"] });
    // Four differing words are a rewording, and nothing shared is one too.
    expect(lexicalDifference("Shorten this paragraph to one sentence", "Condense this paragraph into a single sentence").kind).toBe("reworded");
    expect(lexicalDifference("cancel my subscription", "end my plan").kind).toBe("reworded");
  });

  it("calls texts that share few words reworded, with the differing words as phrases in their order", () => {
    const d = lexicalDifference("I forgot my login password and need to change it.", "How do I reset my password?");
    expect(d.kind).toBe("reworded");
    expect(d.onlyFirst).toEqual(["forgot", "login", "need", "change"]);
    expect(d.onlySecond).toEqual(["how", "reset"]);
    expect(d.phrases).toEqual(["forgot login need change", "how reset"]);
    expect(d.skeletons).toEqual(["i my password and to it", "do i my password"]);
  });

  it("flags numbers in digits that conflict, but not spelled-out ones or a number on one side only", () => {
    expect(lexicalDifference("Reset the password for order 4411", "Reset the password for order 4412").numberConflict).toBe(true);
    expect(lexicalDifference("What happened in the March 3 incident?", "Summarize the incident of March 4 for me").numberConflict).toBe(true);
    expect(lexicalDifference("average order value over the last six months", "mean amount per purchase over the past half year").numberConflict).toBe(false);
    expect(lexicalDifference("How much is $10k at 5% after 10 years?", "What does $10k earn in a decade at 5%?").numberConflict).toBe(false);
  });
});

describe("answer types", () => {
  it("reads the kind of answer a question asks for from the start of its first clause that has one", async () => {
    const { answerType } = await import("./answer-type.js");
    expect(answerType("Why is the checkout pod crash looping?")).toBe("reason");
    expect(answerType("The checkout pod keeps restarting since the release, what is causing it?")).toBe("reason");
    expect(answerType("DNS lookups fail from the frontend, why?")).toBe("reason");
    expect(answerType("How many times has the pod restarted?")).toBe("quantity");
    expect(answerType("How long does shipping to Canada take?")).toBe("quantity");
    expect(answerType("How do I roll back the deployment?")).toBe("procedure");
    expect(answerType("What's the way to revert the release?")).toBe("procedure");
    expect(answerType("Where can I change the address on my invoices?")).toBe("procedure");
    expect(answerType("When does the certificate expire?")).toBe("time");
    expect(answerType("Who gets paged when the alert fires?")).toBe("person");
    expect(answerType("My package hasn't arrived, can you tell me where it is?")).toBe("place");
    expect(answerType("Which region is affected?")).toBe("choice");
    expect(answerType("Should we scale up the checkout service?")).toBe("yes-no");
    expect(answerType("question: Is the payments service failing?")).toBe("yes-no");
    // Imperatives and statements have none.
    expect(answerType("Summarize the incident timeline for the postmortem.")).toBeUndefined();
    expect(answerType("My account is locked after too many login attempts.")).toBeUndefined();
  });

  it("flags two questions that ask for different kinds of answer, not a question beside an imperative", () => {
    expect(lexicalDifference("Why is the checkout pod crash looping after the deploy?", "How many times has the checkout pod restarted since the deploy?")).toMatchObject({
      answerTypes: ["reason", "quantity"],
      answerTypeConflict: true,
    });
    expect(lexicalDifference("What was the root cause of the outage?", "Why did the outage happen?").answerTypeConflict).toBe(false);
    expect(lexicalDifference("Summarize the outage", "Why did the outage happen?").answerTypeConflict).toBe(false);
  });
});
