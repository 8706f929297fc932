"""Quality of the input: possible campaigns (groups of near-copies), flags and languages.

The computing is the analysis' (analysis.quality, analysis.flags, analysis.language); this
package stores its results with the answers, keeps the analysts' reviews of campaign groups
and shows both where moderators and analysts work.
"""
