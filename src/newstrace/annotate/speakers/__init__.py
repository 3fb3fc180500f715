"""Speaker resolution: who a statement's source phrase refers to, by a sieve of rules in a fixed order.

The source phrase as written ("he", "The 56-year-old", "the U.S. Attorney's Office for ...",
"Philip Luther, Research and Advocacy Director") is read through its syntactic head:

1. ``relative``: "who said" takes the noun the relative clause hangs from, then goes on below.
2. ``pronoun``: he/she go to the most salient person before them whose gender agrees (titles,
   role words, the pronouns used of them, first names); it/they to the organisation that spoke
   last or was the latest organisation subject. I/we/you outside a quotation are the writer.
3. ``named``: a person's name at the head (or in apposition to it) is that person; an
   organisation or place at the head keeps the whole noun phrase ("Russia's foreign ministry",
   not "Russia"); a capital acting as subject stands for its government.
4. ``description``: a common noun at the head resolves to a person whose role, apposition or
   age fits ("The governor", "The 56-year-old"), or, for "the company", "the agency", to the
   latest organisation; "the statement" to whoever issued the last one.
5. ``unnamed``: what is left is an unnamed source named by its description ("a senior
   official", "US officials"): the phrase, with no entity, never a guess.

Each resolution carries the features the confidence model reads (rule, distance to the
antecedent, how many candidates were compatible, whether gender was known).

Modules: ``_parsed`` (the article read by position), ``_people`` (what the article says of its people),
``_resolver`` (the sieve and the speakers it remembers).
"""

from __future__ import annotations

from newstrace.annotate.speakers._parsed import doc_length
from newstrace.annotate.speakers._resolver import Resolution, SpeakerResolver

__all__ = ["Resolution", "SpeakerResolver", "doc_length"]
